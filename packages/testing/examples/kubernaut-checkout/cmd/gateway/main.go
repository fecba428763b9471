// Stand-in: the Gateway's main package. The stacks read only its imports.
package main

import (
	"github.com/jordigilh/kubernaut/pkg/gateway"
	"github.com/jordigilh/kubernaut/pkg/shared/health"
)

func main() {
	health.Serve()
	gateway.Run()
}
