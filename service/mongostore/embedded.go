package mongostore

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is an in-process FerretDB on SQLite, speaking the MongoDB wire protocol on a Unix
// socket, so the same driver code serves a bare machine and a real MongoDB. It opens no TCP
// port: the socket lives in a directory of mode 0700, so only this user reaches the store.
type Embedded struct {
	db     *ferretdb.FerretDB
	cancel context.CancelFunc
	done   chan error
	lock   *os.File
	socket string
	dir    string // the SQLite files'
	// sockDir is a short private directory holding the socket when the data directory's path
	// is too long for one (removed on Stop); empty when the socket is in the data directory.
	sockDir     string
	checkpoints *checkpointer
}

// SocketName is the embedded store's Unix socket inside its data directory.
const SocketName = "mongodb.sock"

// maxSocketPath is the longest Unix socket path Linux accepts (sun_path is 108 bytes with the
// terminating NUL).
const maxSocketPath = 107

// socketPath places the socket in dir, or, when that path is longer than a Unix socket path
// may be, in a new short 0700 directory under /tmp (returned as tmp, for removal).
func socketPath(dir string) (path, tmp string, err error) {
	path = filepath.Join(dir, SocketName)
	if len(path) <= maxSocketPath {
		return path, "", nil
	}
	tmp, err = os.MkdirTemp("/tmp", "roadcheck-") // MkdirTemp creates it 0700
	if err != nil {
		return "", "", fmt.Errorf("embedded store: socket directory: %w", err)
	}
	path = filepath.Join(tmp, SocketName)
	if len(path) > maxSocketPath {
		os.Remove(tmp)
		return "", "", fmt.Errorf("embedded store: socket path %s is longer than %d bytes", path, maxSocketPath)
	}
	return path, tmp, nil
}

// privateDir creates dir with mode 0700, or makes an existing one 0700.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// StartEmbedded starts FerretDB with its SQLite files under dir.
func StartEmbedded(dir string, logger *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := privateDir(abs); err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	// One process per directory: two FerretDB instances on the same SQLite files would each
	// think they own them, and Store's in-process serialization would not cover the other.
	lock, err := os.OpenFile(filepath.Join(abs, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("embedded store: %s is in use by another roadcheck process", abs)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = slog.New(newLazyHandler(logger.Handler())) // see lazyHandler
	sock, sockDir, err := socketPath(abs)
	if err != nil {
		lock.Close()
		return nil, err
	}
	// A socket left by a process that was killed would make the listen fail; the lock above
	// proves no live process owns it.
	if err := os.Remove(sock); err != nil && !os.IsNotExist(err) {
		lock.Close()
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	cleanup := func() {
		lock.Close()
		if sockDir != "" {
			os.RemoveAll(sockDir)
		}
	}
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock}, // no TCP listener
		Handler:   "sqlite",
		SQLiteURL: sqliteURL(abs),
		Logger:    logger,
	})
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{db: db, cancel: cancel, done: make(chan error, 1), lock: lock, socket: sock, dir: abs, sockDir: sockDir,
		checkpoints: startCheckpointer(abs, checkpointEvery, logger)}
	go func() { e.done <- db.Run(ctx) }()
	return e, nil
}

// sqliteURL is FerretDB's SQLite URL for the directory dir: write-ahead log with
// synchronous=NORMAL, so a commit appends to the WAL without an fsync and the WAL is synced at
// each checkpoint. The database stays consistent after any crash; a kill of the process loses
// nothing acknowledged (the WAL is in the OS page cache), and only a power loss or OS crash
// can lose the last transactions before a checkpoint (see docs/design.md, Storage). The
// checkpoints are the checkpointer's, off the write path; FerretDB's connections checkpoint
// only past walBackstopPages. The busy timeout goes first, as FerretDB's own defaults put it:
// it must be set before WAL is enabled.
func sqliteURL(dir string) string {
	q := url.Values{"_pragma": {"busy_timeout(10000)", "journal_mode(wal)", "synchronous(normal)",
		fmt.Sprintf("wal_autocheckpoint(%d)", walBackstopPages)}}
	return "file:" + dir + "/?" + q.Encode()
}

// URI is the MongoDB connection string of the embedded store, its socket path URI-escaped
// in the host part (mongodb://%2Fpath%2Fto%2Fmongodb.sock). FerretDB listens from New on.
func (e *Embedded) URI() string {
	return "mongodb://" + strings.ReplaceAll(url.PathEscape(e.socket), "/", "%2F") + "/"
}

// Socket is the path of the embedded store's Unix socket.
func (e *Embedded) Socket() string { return e.socket }

// Open connects a Store to the embedded server, with the options its backend needs.
func (e *Embedded) Open(ctx context.Context, database string) (*Store, error) {
	return Open(ctx, e.URI(), database, e.Options())
}

// Options are the options a Store on the embedded FerretDB needs.
func (e *Embedded) Options() Options {
	return Options{SerializeWrites: true, IDIndexOnly: true, JSONText: true, SQLiteDir: e.dir}
}

// Stop closes the listener and the SQLite backend, waiting at most until ctx ends.
func (e *Embedded) Stop(ctx context.Context) error {
	e.checkpoints.close()
	e.cancel()
	select {
	case <-e.done:
		if e.sockDir != "" {
			os.RemoveAll(e.sockDir)
		} else {
			os.Remove(e.socket)
		}
		e.lock.Close() // releases the directory lock
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded store: stop: %w", ctx.Err())
	case <-time.After(30 * time.Second):
		return fmt.Errorf("embedded store: did not stop within 30s")
	}
}
