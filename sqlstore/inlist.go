package sqlstore

import "strings"

// placeholders is "(?, ?, …)" with n marks, for an IN list (n ≥ 1).
func placeholders(n int) string {
	return "(?" + strings.Repeat(", ?", n-1) + ")"
}

// anySlice is ids as query arguments.
func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
