package main

import "context"

func runServe(ctx context.Context, e *env, args []string) error       { return nil }
func runUsers(ctx context.Context, e *env, args []string) error       { return nil }
func runAudit(ctx context.Context, e *env, args []string) error       { return nil }
func runMigrate(ctx context.Context, e *env, args []string) error     { return nil }
func runListImport(ctx context.Context, e *env, args []string) error { return nil }
