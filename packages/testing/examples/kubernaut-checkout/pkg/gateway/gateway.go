// Stand-in: the Gateway's own package; it writes audit events through DataStorage's client.
package gateway

import dsclient "github.com/jordigilh/kubernaut/pkg/datastorage/client"

func Run() { dsclient.New() }
