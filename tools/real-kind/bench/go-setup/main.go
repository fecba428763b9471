// Command go-setup runs the service repository's own end-to-end setup for one suite, the function
// its suite's SynchronizedBeforeSuite calls, with the arguments the suite gives it, and nothing
// else: the side-by-side benchmark's other side (../side-by-side.sh, which builds it against a
// copy of a checkout and runs it from the suite's package directory, as ginkgo would).
//
//	go-setup datastorage|gateway|signalprocessing
//
// Kubeconfigs go where the suites put them, under $HOME/.kube (the benchmark gives it a HOME of
// its own). The setup's log goes to stdout; exit status 1 when the setup fails.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jordigilh/kubernaut/test/infrastructure"
	"github.com/onsi/gomega"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-setup datastorage|gateway|signalprocessing")
		os.Exit(2)
	}
	// The setup functions wait with Gomega's Eventually, which needs a fail handler (the suite's
	// is Ginkgo's Fail): a failed wait ends the run, as it fails the suite's BeforeSuite.
	gomega.RegisterFailHandler(func(message string, _ ...int) {
		fmt.Fprintln(os.Stderr, "go-setup: "+message)
		os.Exit(1)
	})
	home, err := os.UserHomeDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-setup:", err)
		os.Exit(1)
	}
	kubeconfig := func(name string) string { return filepath.Join(home, ".kube", name) }
	ctx := context.Background()
	switch os.Args[1] {
	case "datastorage": // test/e2e/datastorage/datastorage_e2e_suite_test.go
		err = infrastructure.SetupDataStorageInfrastructureParallel(ctx, "datastorage-e2e", kubeconfig("datastorage-e2e-config"), "datastorage-e2e", os.Stdout)
	case "gateway": // test/e2e/gateway/gateway_e2e_suite_test.go (coverage off, as without E2E_COVERAGE)
		err = infrastructure.SetupGatewayInfrastructureParallel(ctx, "gateway-e2e", kubeconfig("gateway-e2e-config"), os.Stdout, false)
	case "signalprocessing": // test/e2e/signalprocessing/suite_test.go
		err = infrastructure.SetupSignalProcessingInfrastructureHybridWithCoverage(ctx, "signalprocessing-e2e", kubeconfig("signalprocessing-e2e-config"), os.Stdout)
	default:
		fmt.Fprintf(os.Stderr, "go-setup: unknown suite %q: expected datastorage, gateway or signalprocessing\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-setup:", err)
		os.Exit(1)
	}
}
