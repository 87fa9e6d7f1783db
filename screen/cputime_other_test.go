//go:build !linux

package screen

import "time"

// threadCPU is not available here: latencies fall back to wall time.
func threadCPU() time.Duration { return 0 }
