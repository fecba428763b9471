// Command tekton-bundle pushes a Tekton bundle (an OCI image, one layer per Tekton object, with
// the annotations Tekton's bundle resolver reads: pkg/remote/oci) made of the objects in YAML
// files, as `tkn bundle push` does. For the real-kind tests, whose bundles cannot come from a
// registry: go-containerregistry pushes over plain HTTP to localhost and private addresses.
//
//	tekton-bundle <reference> <file.yaml>...
package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/tektoncd/pipeline/pkg/remote/oci"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: tekton-bundle <reference> <file.yaml>...")
		os.Exit(2)
	}
	if err := push(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "tekton-bundle: %v\n", err)
		os.Exit(1)
	}
}

func push(reference string, files []string) error {
	ref, err := name.ParseReference(reference)
	if err != nil {
		return err
	}
	image := empty.Image
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var object struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(data, &object); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if object.Kind == "" || object.Metadata.Name == "" || !strings.HasPrefix(object.APIVersion, "tekton.dev/") {
			return fmt.Errorf("%s: not a Tekton object (apiVersion %q, kind %q, name %q)", file, object.APIVersion, object.Kind, object.Metadata.Name)
		}
		var layer bytes.Buffer
		writer := tar.NewWriter(&layer)
		if err := writer.WriteHeader(&tar.Header{Name: object.Metadata.Name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := writer.Write(data); err != nil {
			return err
		}
		if err := writer.Close(); err != nil {
			return err
		}
		l, err := tarball.LayerFromReader(&layer)
		if err != nil {
			return err
		}
		image, err = mutate.Append(image, mutate.Addendum{Layer: l, Annotations: map[string]string{
			oci.TitleAnnotation:      object.Metadata.Name,
			oci.KindAnnotation:       strings.ToLower(object.Kind),
			oci.APIVersionAnnotation: strings.TrimPrefix(object.APIVersion, "tekton.dev/"),
		}})
		if err != nil {
			return err
		}
	}
	if err := remote.Write(ref, image); err != nil {
		return err
	}
	digest, err := image.Digest()
	if err != nil {
		return err
	}
	fmt.Println(ref.Context().Digest(digest.String()).String())
	return nil
}
