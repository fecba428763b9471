// Stand-in: the API frontend's main package. The stacks read only its imports.
package main

import (
	dsclient "github.com/jordigilh/kubernaut/pkg/datastorage/client"
	"github.com/jordigilh/kubernaut/pkg/shared/health"
)

func main() {
	health.Serve()
	dsclient.New()
}
