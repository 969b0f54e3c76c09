// Go's net/netip and net/url as an independent judge of the CEL IP, CIDR and URL libraries: reads one input per
// line on stdin and prints one JSON object per line with what the standard library makes of it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
)

type addrResult struct {
	Error     string `json:"error,omitempty"`
	String    string `json:"string,omitempty"`
	Zone      string `json:"zone,omitempty"`
	Is4In6    bool   `json:"is4in6,omitempty"`
	Loopback  bool   `json:"loopback"`
	Global    bool   `json:"global"`
	LLUnicast bool   `json:"llUnicast"`
	LLMulti   bool   `json:"llMulticast"`
	Unspec    bool   `json:"unspecified"`
}

type prefixResult struct {
	Error  string `json:"error,omitempty"`
	String string `json:"string,omitempty"`
	Masked string `json:"masked,omitempty"`
	Is4In6 bool   `json:"is4in6,omitempty"`
}

type regexpResult struct {
	Error   string   `json:"error,omitempty"`
	Matches bool     `json:"matches"`
	Find    string   `json:"find"`
	FindAll []string `json:"findAll"`
}

type urlResult struct {
	Error       string              `json:"error,omitempty"`
	Scheme      string              `json:"scheme"`
	Host        string              `json:"host"`
	Hostname    string              `json:"hostname"`
	Port        string              `json:"port"`
	EscapedPath string              `json:"escapedPath"`
	Query       map[string][]string `json:"query"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: celjudge addr|prefix|url|regexp < inputs")
		os.Exit(2)
	}
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if os.Args[1] == "regexp" {
			// A line is a JSON array: [pattern, input].
			var pair []string
			if err := json.Unmarshal(in.Bytes(), &pair); err != nil || len(pair) != 2 {
				fmt.Fprintln(os.Stderr, "bad regexp line:", in.Text())
				os.Exit(2)
			}
			re, err := regexp.Compile(pair[0])
			if err != nil {
				out.Encode(regexpResult{Error: err.Error()})
				continue
			}
			all := re.FindAllString(pair[1], -1)
			if all == nil {
				all = []string{}
			}
			out.Encode(regexpResult{Matches: re.MatchString(pair[1]), Find: re.FindString(pair[1]), FindAll: all})
			continue
		}
		line, err := strconv.Unquote(in.Text())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		switch os.Args[1] {
		case "addr":
			a, err := netip.ParseAddr(line)
			if err != nil {
				out.Encode(addrResult{Error: err.Error()})
				continue
			}
			out.Encode(addrResult{String: a.String(), Zone: a.Zone(), Is4In6: a.Is4In6(), Loopback: a.IsLoopback(), Global: a.IsGlobalUnicast(), LLUnicast: a.IsLinkLocalUnicast(), LLMulti: a.IsLinkLocalMulticast(), Unspec: a.IsUnspecified()})
		case "prefix":
			p, err := netip.ParsePrefix(line)
			if err != nil {
				out.Encode(prefixResult{Error: err.Error()})
				continue
			}
			out.Encode(prefixResult{String: p.String(), Masked: p.Masked().String(), Is4In6: p.Addr().Is4In6()})
		case "url":
			if _, err := url.ParseRequestURI(line); err != nil {
				out.Encode(urlResult{Error: err.Error()})
				continue
			}
			u, err := url.Parse(line)
			if err != nil {
				out.Encode(urlResult{Error: err.Error()})
				continue
			}
			out.Encode(urlResult{Scheme: u.Scheme, Host: u.Host, Hostname: u.Hostname(), Port: u.Port(), EscapedPath: u.EscapedPath(), Query: u.Query()})
		}
	}
}
