// Command etcd runs the etcd server from the published go.etcd.io/etcd/server/v3 module, the
// version that the chosen Kubernetes release pins.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
