package main

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
)

// options select what to package.
type options struct {
	Arch, Binary, Version, Root, Out string
}

// debArch maps the Go architectures that edgecluster ships for to Debian's.
var debArch = map[string]string{"amd64": "amd64", "arm64": "arm64", "arm7": "armhf"}

//go:embed scripts/postinst
var postinst string

//go:embed scripts/prerm
var prerm string

//go:embed scripts/postrm
var postrm string

// Paths inside the package.
const (
	binPath     = "/usr/bin/edgecluster"
	unitPath    = "/lib/systemd/system/edgecluster.service"
	configPath  = "/etc/edgecluster/config.toml"
	docDir      = "/usr/share/doc/edgecluster"
	modelDir    = "/usr/share/edgecluster/models"
	stateDir    = "/var/lib/edgecluster"
	modelFile   = "ssd_mobilenetv2_oidv4_fp16.tflite"
	exampleName = "edgecluster.example.toml"
)

// build writes the package into o.Out and returns its path.
func build(o options) (string, error) {
	arch, ok := debArch[o.Arch]
	if !ok {
		return "", fmt.Errorf("--arch %q: use amd64, arm64 or arm7", o.Arch)
	}
	if o.Binary == "" {
		return "", errors.New("--binary is required: build it with make cross")
	}
	work, err := os.MkdirTemp("", "edgecluster-deb")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)

	info, err := packageInfo(o, work)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("edgecluster_%s_%s.deb", strings.TrimPrefix(o.Version, "v"), arch)
	return filepath.Join(o.Out, name), write(info, filepath.Join(o.Out, name))
}

func write(info *nfpm.Info, path string) error {
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return err
	}
	if err := nfpm.PrepareForPackager(nfpm.WithDefaults(info), "deb"); err != nil {
		return fmt.Errorf("package contents: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pkg.Package(info, f); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func packageInfo(o options, work string) (*nfpm.Info, error) {
	config, err := writeConfig(o.Root, work)
	if err != nil {
		return nil, err
	}
	scripts, err := writeScripts(work)
	if err != nil {
		return nil, err
	}
	root := func(p string) string { return filepath.Join(o.Root, p) }
	info := &nfpm.Info{
		Name: "edgecluster", Arch: o.Arch, Platform: "linux", Version: o.Version,
		Section: "video", Priority: "optional", Maintainer: "edgecluster developers",
		Description: "camera frame clustering daemon for edge boards\n" +
			"Embeds camera frames with a CNN, keeps streaming k-means clusters\n" +
			"and publishes cluster summaries over MQTT.",
		License: "see /usr/share/doc/edgecluster",
		MTime:   time.Unix(0, 0).UTC(),
		Overridables: nfpm.Overridables{
			Depends: []string{"passwd"},
			Scripts: scripts,
			Contents: files.Contents{
				file(o.Binary, binPath, 0o755, ""),
				file(root("systemd/edgecluster.service"), unitPath, 0o644, ""),
				file(config, configPath, 0o640, files.TypeConfigNoReplace),
				file(root(exampleName), docDir+"/"+exampleName, 0o644, ""),
				file(root("README.md"), docDir+"/README.md", 0o644, ""),
				file(root("models/"+modelFile), modelDir+"/"+modelFile, 0o644, ""),
				file(root("models/LICENSE.model"), modelDir+"/LICENSE.model", 0o644, ""),
				file(root("models/README.md"), modelDir+"/README.md", 0o644, ""),
			},
		},
	}
	return info, nil
}

func file(src, dst string, mode os.FileMode, kind string) *files.Content {
	return &files.Content{Source: src, Destination: dst, Type: kind,
		FileInfo: &files.ContentFileInfo{Owner: "root", Group: "root", Mode: mode}}
}

func writeScripts(work string) (nfpm.Scripts, error) {
	var s nfpm.Scripts
	for _, sc := range []struct {
		name, text string
		dst        *string
	}{{"postinst", postinst, &s.PostInstall}, {"prerm", prerm, &s.PreRemove},
		{"postrm", postrm, &s.PostRemove}} {
		path := filepath.Join(work, sc.name)
		if err := os.WriteFile(path, []byte(sc.text), 0o755); err != nil {
			return s, err
		}
		*sc.dst = path
	}
	return s, nil
}
