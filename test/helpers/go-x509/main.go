// An independent judge for the tests: what Go's crypto/x509 (the library kube-apiserver and talosctl are built on)
// says of certificates, chains and names. Stdlib only; built by test/helpers/go-x509.ts.
//
//	gox509 verify -roots ROOTS.pem -chain CHAIN.pem [-usage client|server|any] [-host H] [-time RFC3339]
//	    CHAIN.pem: the leaf first, then intermediates. Prints "ok" (exit 0) or Go's error (exit 1).
//	gox509 parse FILE.pem
//	    Each CERTIFICATE / CERTIFICATE REQUEST block through ParseCertificate / ParseCertificateRequest (and the CSR
//	    signature check): one JSON line per block, {"label","ok","error"}. Exit 0 when all parse, else 1.
//	gox509 name FILE.pem
//	    The first certificate's subject as kube-apiserver maps it: {"user": CommonName, "groups": Organization}.
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail(2, "usage: gox509 verify|parse|name ...")
	}
	switch os.Args[1] {
	case "verify":
		verify(os.Args[2:])
	case "parse":
		parse(os.Args[2:])
	case "name":
		name(os.Args[2:])
	default:
		fail(2, "unknown subcommand "+os.Args[1])
	}
}

func fail(code int, msg string) {
	fmt.Println(msg)
	os.Exit(code)
}

func blocks(path string) []*pem.Block {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(2, err.Error())
	}
	var out []*pem.Block
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		out = append(out, b)
	}
}

func certs(path string) []*x509.Certificate {
	var out []*x509.Certificate
	for _, b := range blocks(path) {
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			fail(1, err.Error())
		}
		out = append(out, c)
	}
	return out
}

func verify(args []string) {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	roots := fs.String("roots", "", "")
	chain := fs.String("chain", "", "")
	usage := fs.String("usage", "client", "")
	host := fs.String("host", "", "")
	at := fs.String("time", "", "")
	fs.Parse(args)
	pool := x509.NewCertPool()
	for _, c := range certs(*roots) {
		pool.AddCert(c)
	}
	presented := certs(*chain)
	if len(presented) == 0 {
		fail(2, "no certificate in "+*chain)
	}
	inter := x509.NewCertPool()
	for _, c := range presented[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: pool, Intermediates: inter, DNSName: *host}
	switch *usage {
	case "client":
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	case "server":
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	case "any":
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fail(2, err.Error())
		}
		opts.CurrentTime = t
	}
	if _, err := presented[0].Verify(opts); err != nil {
		fail(1, err.Error())
	}
	fmt.Println("ok")
}

func parse(args []string) {
	if len(args) != 1 {
		fail(2, "usage: gox509 parse FILE")
	}
	enc := json.NewEncoder(os.Stdout)
	code := 0
	for _, b := range blocks(args[0]) {
		var err error
		switch b.Type {
		case "CERTIFICATE":
			_, err = x509.ParseCertificate(b.Bytes)
		case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
			var csr *x509.CertificateRequest
			if csr, err = x509.ParseCertificateRequest(b.Bytes); err == nil {
				err = csr.CheckSignature()
			}
		default:
			continue
		}
		line := map[string]any{"label": b.Type, "ok": err == nil}
		if err != nil {
			line["error"] = err.Error()
			code = 1
		}
		enc.Encode(line)
	}
	os.Exit(code)
}

func name(args []string) {
	if len(args) != 1 {
		fail(2, "usage: gox509 name FILE")
	}
	c := certs(args[0])
	if len(c) == 0 {
		fail(2, "no certificate in "+args[0])
	}
	groups := c[0].Subject.Organization
	if groups == nil {
		groups = []string{}
	}
	json.NewEncoder(os.Stdout).Encode(map[string]any{"user": c[0].Subject.CommonName, "groups": groups})
}
