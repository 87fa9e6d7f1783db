package annex

import (
	"strconv"
	"strings"
)

// FormatNumber formats a number for people: up to six significant digits,
// with a compact exponent for large and small magnitudes (1.1e6, 2.5e-7).
// The classifier's reasons, the CLI and the pages all write numbers this way.
func FormatNumber(x float64) string {
	s := strconv.FormatFloat(x, 'g', 6, 64)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	sign := ""
	if strings.HasPrefix(exp, "-") {
		sign = "-"
	}
	return mant + "e" + sign + strings.TrimLeft(exp, "+-0")
}

// FormatValue formats a value with its unit: "1.2e6 N·s", "3.33 %", "true".
// A unit of "" or "1" (dimensionless) is left out.
func FormatValue(v Value, unit string) string {
	if v.Type != TypeNumber {
		return v.String()
	}
	switch unit {
	case "", "1":
		return FormatNumber(v.Num)
	}
	return FormatNumber(v.Num) + " " + unit
}

// Symbol writes the operator as people read it: "≥", "≤", "=", "is one of".
func (o Op) Symbol() string {
	switch o {
	case OpGE:
		return "≥"
	case OpLE:
		return "≤"
	case OpEQ:
		return "="
	case OpIn:
		return "is one of"
	case OpUnder:
		return "is under"
	}
	return string(o)
}
