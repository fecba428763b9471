// Stand-in: DataStorage's main package. The stacks read only its imports.
package main

import (
	"github.com/jordigilh/kubernaut/pkg/datastorage/server"
	"github.com/jordigilh/kubernaut/pkg/shared/health"
)

func main() {
	health.Serve()
	server.Run()
}
