// Command gen writes schema-embed.json and terraform-mapping-embed.json for ../main.go from the
// files committed in the required github.com/pulumi/pulumi-kubernetes/provider/v4 module, the way
// that provider's release build does: the schema is decoded into a schema.PackageSpec, given the
// release version and re-encoded compactly; the mapping is re-encoded compactly.
//
// Run from the module directory: go run ./gen -version 4.25.0
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const providerModule = "github.com/pulumi/pulumi-kubernetes/provider/v4"

func main() {
	version := flag.String("version", "", "provider version to record in the schema, e.g. 4.25.0")
	flag.Parse()
	if *version == "" {
		log.Fatal("gen: -version is required")
	}

	// The module directory of the provider version selected by this module's go.mod.
	out, err := exec.Command("go", "mod", "download", "-json", providerModule).Output()
	if err != nil {
		log.Fatalf("gen: go mod download %s: %v", providerModule, err)
	}
	var mod struct{ Dir, Version string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		log.Fatalf("gen: cannot locate %s: %v %s", providerModule, err, strings.TrimSpace(string(out)))
	}
	src := filepath.Join(mod.Dir, "cmd", "pulumi-resource-kubernetes")

	raw, err := os.ReadFile(filepath.Join(src, "schema.json"))
	if err != nil {
		log.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("gen: decode schema: %v", err)
	}
	spec.Version = *version
	schemaJSON, err := json.Marshal(spec)
	if err != nil {
		log.Fatalf("gen: encode schema: %v", err)
	}
	write("schema-embed.json", schemaJSON)

	raw, err = os.ReadFile(filepath.Join(src, "terraform-mapping.json"))
	if err != nil {
		log.Fatal(err)
	}
	var mapping any
	if err := json.Unmarshal(raw, &mapping); err != nil {
		log.Fatalf("gen: decode terraform mapping: %v", err)
	}
	mappingJSON, err := json.Marshal(mapping)
	if err != nil {
		log.Fatalf("gen: encode terraform mapping: %v", err)
	}
	write("terraform-mapping-embed.json", mappingJSON)
	log.Printf("gen: wrote schema (%d bytes) and terraform mapping (%d bytes) from %s@%s",
		len(schemaJSON), len(mappingJSON), providerModule, mod.Version)
}

func write(name string, data []byte) {
	if err := os.WriteFile(name, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
