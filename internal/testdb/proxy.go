package testdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
)

// Proxy is a TCP proxy between a test's pool and the PostgreSQL server,
// for provoking the network's failures without touching the server, which
// other tests share: Cut closes every connection through it, Refuse makes
// new connections fail as against a stopped server, Starting answers them
// as a server that is starting up, and CutAfter cuts a connection right
// after the server has answered a chosen message, so that the client never
// learns the answer. It reads the protocol's framing (a type byte and a
// length per message), nothing more. It is safe for concurrent use.
type Proxy struct {
	target string // the server, host:port

	mu       sync.Mutex
	ln       net.Listener // nil while refusing
	addr     string       // the address it listens on, kept while refusing
	starting bool         // answer new connections with SQLSTATE 57P03
	links    map[*link]struct{}
	cutAfter func(typ byte, body []byte) bool // armed by CutAfter, nil otherwise
	hold     bool                             // CutAfter keeps the client's connection open
	cuts     int                              // connections CutAfter has cut
	wg       sync.WaitGroup
}

// NewProxy starts a proxy to the test binary's PostgreSQL server on a free
// port of 127.0.0.1, stopped when the test ends. It skips or fails the
// test, as Postgres does, when no server can be had.
func NewProxy(t testing.TB) *Proxy {
	t.Helper()
	return std.NewProxy(t)
}

// NewProxy is the package's NewProxy on e's server.
func (e *Env) NewProxy(t testing.TB) *Proxy {
	t.Helper()
	srv := e.requireServer(t)
	cfg, err := pgconn.ParseConfig(srv.dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	p := &Proxy{target: net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), links: map[*link]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testdb: proxy: %v", err)
	}
	p.ln, p.addr = ln, ln.Addr().String()
	p.wg.Add(1)
	go p.serve(ln)
	t.Cleanup(p.close)
	return p
}

// PostgresProxy is Postgres with the pool's connections going through a
// new Proxy, which it returns. configure, when set, edits the pool's
// configuration afterwards.
func PostgresProxy(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) (dialect.DB, *Proxy) {
	t.Helper()
	return std.PostgresProxy(t, configure, opts...)
}

// PostgresProxy is the package's PostgresProxy on e's server.
func (e *Env) PostgresProxy(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) (dialect.DB, *Proxy) {
	t.Helper()
	p := e.NewProxy(t)
	host, port, _ := net.SplitHostPort(p.addr)
	n, _ := strconv.Atoi(port)
	db := e.PostgresConfig(t, func(c *pgxpool.Config) {
		c.ConnConfig.Host, c.ConnConfig.Port, c.ConnConfig.Fallbacks = host, uint16(n), nil
		if configure != nil {
			configure(c)
		}
	}, opts...)
	return db, p
}

// Addr is the address the proxy listens on.
func (p *Proxy) Addr() string { return p.addr }

// Cut closes every connection through the proxy, on both sides: clients
// read an unexpected end of their connection, and the server ends their
// sessions, rolling back what they had not committed.
func (p *Proxy) Cut() {
	p.mu.Lock()
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	for _, l := range links {
		l.close()
	}
}

// Refuse stops listening, so that new connections are refused as by a
// stopped server; connections already made go on. Accept listens again.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
}

// Restart is Refuse then Cut: the server seems to have stopped.
func (p *Proxy) Restart() {
	p.Refuse()
	p.Cut()
}

// Accept listens again on the same address after Refuse, and forwards
// new connections to the server again after Starting.
func (p *Proxy) Accept() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starting = false
	if p.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return err
	}
	p.ln = ln
	p.wg.Add(1)
	go p.serve(ln)
	return nil
}

// Starting makes the proxy answer each new connection's startup message as
// a server that is starting up does (FATAL, SQLSTATE 57P03), until Accept.
func (p *Proxy) Starting() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starting = true
}

// CutAfter arms the proxy: the next message from a client for which match
// returns true (given the message's type byte, such as 'Q' for a simple
// query, and its body) is forwarded to the server, and from then on
// nothing the server sends on that connection reaches the client. Once the
// server has answered the request the message belongs to (its
// ReadyForQuery), the connection is closed on both sides, or, with hold,
// on the server's side only, leaving the client waiting for an answer
// that never comes. The server has then carried the request out: a COMMIT
// is committed. It fires once; Cuts counts how often it fired.
func (p *Proxy) CutAfter(hold bool, match func(typ byte, body []byte) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutAfter, p.hold = match, hold
}

// IsCommit matches the simple-query message of a COMMIT, as pgx's Tx.Commit
// sends it, for CutAfter.
func IsCommit(typ byte, body []byte) bool {
	return typ == 'Q' && bytes.EqualFold(bytes.TrimRight(bytes.TrimSpace(bytes.TrimRight(body, "\x00")), ";"), []byte("commit"))
}

// Cuts reports how many connections CutAfter has cut.
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// claim returns whether the message fires the armed CutAfter, disarming
// it, and whether it holds the client's side open.
func (p *Proxy) claim(typ byte, body []byte) (fire, hold bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cutAfter == nil || !p.cutAfter(typ, body) {
		return false, false
	}
	p.cutAfter = nil
	p.cuts++
	return true, p.hold
}

func (p *Proxy) close() {
	p.mu.Lock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.mu.Unlock()
	p.Cut()
	p.wg.Wait()
}

func (p *Proxy) serve(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		starting := p.starting
		p.mu.Unlock()
		p.wg.Add(1)
		if starting {
			go p.answerStarting(c)
			continue
		}
		go p.forward(c)
	}
}

// answerStarting reads a client's startup message and refuses it as a
// starting server does.
func (p *Proxy) answerStarting(c net.Conn) {
	defer p.wg.Done()
	defer c.Close()
	for {
		body, err := readUntyped(c)
		if err != nil {
			return
		}
		if !isEncryptionRequest(body) {
			break
		}
		if _, err := c.Write([]byte{'N'}); err != nil {
			return
		}
	}
	var msg []byte
	for _, f := range []string{"SFATAL", "VFATAL", "C57P03", "Mthe database system is starting up"} {
		msg = append(append(msg, f...), 0)
	}
	msg = append(msg, 0)
	out := binary.BigEndian.AppendUint32([]byte{'E'}, uint32(len(msg)+4))
	_, _ = c.Write(append(out, msg...))
}

func (p *Proxy) forward(c net.Conn) {
	defer p.wg.Done()
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	l := &link{p: p, client: c, server: s, rawByte: make(chan bool, 4)}
	p.mu.Lock()
	p.links[l] = struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Go(l.clientToServer)
	wg.Go(l.serverToClient)
	wg.Wait()
	l.close()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// link is one client connection and its connection to the server.
type link struct {
	p              *Proxy
	client, server net.Conn
	// rawByte tells serverToClient that the server's next answer is one
	// unframed byte (to an SSL or GSS encryption request): true, or that
	// the client's startup is done: false.
	rawByte chan bool

	mu     sync.Mutex
	syncs  int  // requests sent: Sync and Query messages
	ready  int  // ReadyForQuery messages received
	muted  bool // CutAfter fired: the server's messages are dropped
	target int  // the ReadyForQuery after which the link is cut
	hold   bool // keep the client's side open when cutting
	once   sync.Once
}

func (l *link) close() {
	l.once.Do(func() {
		_ = l.client.Close()
		_ = l.server.Close()
	})
}

// clientToServer forwards the client's messages, counting requests and
// arming the link when CutAfter's message goes by.
func (l *link) clientToServer() {
	defer l.close()
	defer close(l.rawByte)
	for {
		body, err := readUntyped(l.client)
		if err != nil {
			return
		}
		if _, err := l.server.Write(untyped(body)); err != nil {
			return
		}
		enc := isEncryptionRequest(body)
		l.rawByte <- enc
		if !enc {
			break
		}
	}
	for {
		typ, body, err := readTyped(l.client)
		if err != nil {
			return
		}
		l.mu.Lock()
		if typ == 'S' || typ == 'Q' {
			l.syncs++
		}
		if fire, hold := l.p.claim(typ, body); fire {
			l.muted, l.hold, l.target = true, hold, l.syncs
			if typ != 'S' && typ != 'Q' {
				l.target++ // answered at the next Sync
			}
		}
		l.mu.Unlock()
		if _, err := l.server.Write(typed(typ, body)); err != nil {
			return
		}
	}
}

// serverToClient forwards the server's messages, until CutAfter's request
// has been answered.
func (l *link) serverToClient() {
	held := false
	defer func() {
		if !held {
			l.close()
		}
	}()
	for raw := range l.rawByte {
		if !raw {
			break
		}
		b := make([]byte, 1)
		if _, err := io.ReadFull(l.server, b); err != nil {
			return
		}
		if _, err := l.client.Write(b); err != nil {
			return
		}
		if b[0] != 'N' {
			_, _ = io.Copy(l.client, l.server) // encrypted: no framing to read
			return
		}
	}
	for {
		typ, body, err := readTyped(l.server)
		if err != nil {
			return
		}
		l.mu.Lock()
		if typ == 'Z' {
			l.ready++
		}
		muted, done, hold := l.muted, l.muted && l.ready >= l.target, l.hold
		l.mu.Unlock()
		if done {
			if hold {
				// The client's side stays open, until the client closes
				// it or Cut.
				held = true
				_ = l.server.Close()
			}
			return
		}
		if muted {
			continue
		}
		if _, err := l.client.Write(typed(typ, body)); err != nil {
			return
		}
	}
}

// readUntyped reads a startup-phase message: a length, then the body.
func readUntyped(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size < 4 || size > 1<<20 {
		return nil, errors.New("testdb: proxy: bad startup message length")
	}
	body := make([]byte, size-4)
	_, err := io.ReadFull(r, body)
	return body, err
}

// readTyped reads a message: a type byte, a length, then the body.
func readTyped(r io.Reader) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	size := binary.BigEndian.Uint32(h[1:])
	if size < 4 || size > 1<<30 {
		return 0, nil, errors.New("testdb: proxy: bad message length")
	}
	body := make([]byte, size-4)
	_, err := io.ReadFull(r, body)
	return h[0], body, err
}

func untyped(body []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body)+4)), body...)
}

func typed(typ byte, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, uint32(len(body)+4)), body...)
}

// isEncryptionRequest reports whether a startup-phase message asks for SSL
// or GSS encryption, which the server answers with one byte.
func isEncryptionRequest(body []byte) bool {
	if len(body) != 4 {
		return false
	}
	code := binary.BigEndian.Uint32(body)
	return code == 80877103 || code == 80877104
}
