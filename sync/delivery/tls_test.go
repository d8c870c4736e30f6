package delivery

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/internal/tlsfiles"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
)

// pki is a CA with a server certificate for 127.0.0.1 and client
// certificates, written as PEM files.
type pki struct {
	dir    string
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	serial int64
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	p := &pki{dir: t.TempDir()}
	key := newKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1),
		Subject:   pkix.Name{CommonName: "edgecluster test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p.caCert, _ = x509.ParseCertificate(der)
	p.caKey, p.serial = key, 1
	writePEM(t, p.path("ca.crt"), "CERTIFICATE", der)
	return p
}

func (p *pki) path(name string) string { return filepath.Join(p.dir, name) }

// issue writes NAME.crt and NAME.key signed by the CA.
func (p *pki) issue(t *testing.T, name string, server bool) {
	t.Helper()
	key := newKey(t)
	p.serial++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(p.serial),
		Subject:   pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, p.path(name+".crt"), "CERTIFICATE", der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, p.path(name+".key"), "EC PRIVATE KEY", keyDER)
}

func (p *pki) client(name string) tlsfiles.Files {
	return tlsfiles.Files{CA: p.path("ca.crt"), Cert: p.path(name + ".crt"),
		Key: p.path(name + ".key")}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	data := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// tlsBroker starts mosquitto with a TLS listener that requires a client
// certificate from the test CA.
func tlsBroker(t *testing.T, p *pki) (*mqtttest.Broker, string) {
	t.Helper()
	p.issue(t, "server", true)
	b := mqtttest.StartWith(t, mqtttest.Options{Listener: fmt.Sprintf(
		"allow_anonymous true\ncafile %s\ncertfile %s\nkeyfile %s\nrequire_certificate true\n",
		p.path("ca.crt"), p.path("server.crt"), p.path("server.key"))})
	return b, strings.Replace(b.URL, "tcp://", "ssl://", 1)
}

func TestTLSWithClientCertificates(t *testing.T) {
	p := newPKI(t)
	p.issue(t, "hub", false)
	p.issue(t, "cam-1", false)
	_, url := tlsBroker(t, p)

	h := startHub(t, url, hub.Options{TLS: p.client("hub")})
	d := openDevice(t, url, "cam-1", uplink.Options{TLS: p.client("cam-1")})
	d.up.Start()
	rng := newRand()
	for i := 0; i < 5; i++ {
		d.produce(rng)
	}
	waitAll(t, []*hub.Hub{h}, "cam-1", 5, 10*time.Second)
}

func TestTLSRejectsClientWithoutCertificate(t *testing.T) {
	p := newPKI(t)
	_, url := tlsBroker(t, p)
	logs := &syncBuffer{}
	d := openDevice(t, url, "cam-1", uplink.Options{TLS: tlsfiles.Files{CA: p.path("ca.crt")},
		Logger: slogTo(logs)})
	d.up.Start()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && logs.count("connect failed") < 1 {
		time.Sleep(20 * time.Millisecond)
	}
	if logs.count("connect failed") < 1 {
		t.Fatalf("no failed connection logged:\n%s", logs.String())
	}
	if d.up.Connected() {
		t.Error("connected without a client certificate")
	}
}
