//go:build tools

// Package tools pins the Go packages this module builds (see targets).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
