package migrate

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one version of the schema: the SQL that applies it and,
// when it can be reverted, the SQL that reverts it. Load builds them from
// files; a Migration is a plain value, safe to copy and share.
type Migration struct {
	// Version is the migration's number, positive; migrations apply in
	// increasing order of it.
	Version int64
	// Name is the part of the file name after the version, such as
	// "add_index" in 0002_add_index.up.sql.
	Name string
	// UpFile and DownFile are the base names of the migration's files.
	// DownFile is empty when there is no down file: the migration cannot
	// be reverted.
	UpFile, DownFile string
	// Up is the up file's SQL, never empty; Down the down file's, which
	// may be empty (or only comments) as loaded, but which Down then
	// refuses to revert (ErrEmptyDown).
	Up, Down string
	// Checksum is the hexadecimal SHA-256 of the up file's bytes, as the
	// version table records it when the migration is applied.
	Checksum string
}

// Reversible reports whether the migration has a down file.
func (m Migration) Reversible() bool { return m.DownFile != "" }

// String returns the migration's version and name as its files spell
// them, "0002_add_index".
func (m Migration) String() string { return label(m.UpFile, m.Version, m.Name) }

// label is a migration's "0002_add_index": its up file's name without
// the suffix, or the version and name when it has no file.
func label(upFile string, version int64, name string) string {
	if s, ok := strings.CutSuffix(upFile, upSuffix); ok {
		return s
	}
	return fmt.Sprintf("%04d_%s", version, name)
}

const (
	upSuffix   = ".up.sql"
	downSuffix = ".down.sql"
)

// fileName is what a migration file's name says.
type fileName struct {
	version int64
	name    string
	up      bool
}

// parseName reads a file name of the form <version>_<name>.up.sql or
// <version>_<name>.down.sql: a version of decimal digits (leading zeros
// allowed) that is positive and fits an int64, and a name of ASCII
// letters, digits, '_' and '-'.
func parseName(file string) (fileName, error) {
	var f fileName
	var base string
	var ok bool
	if base, ok = strings.CutSuffix(file, upSuffix); ok {
		f.up = true
	} else if base, ok = strings.CutSuffix(file, downSuffix); !ok {
		return f, fmt.Errorf("%s: bad name: want <version>_<name>.up.sql or <version>_<name>.down.sql, in lower case", file)
	}
	digits, name, ok := strings.Cut(base, "_")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return f, fmt.Errorf("%s: bad name: want a version of digits, then '_' and a name", file)
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v <= 0 {
		return f, fmt.Errorf("%s: bad name: the version must be a positive integer below 2^63", file)
	}
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
		return f, fmt.Errorf("%s: bad name: the name after the version must be ASCII letters, digits, '_' or '-'", file)
	}
	f.version, f.name = v, name
	return f, nil
}

// pair is the files of one version found in a directory.
type pair struct {
	version  int64
	name     string
	up, down string // file names, empty when absent
}

// scan reads the names of the migration files in dir and pairs them by
// version, in increasing order. Files not ending in .sql (in any case),
// and directories, are ignored. It refuses bad names, two files for one
// version and direction, and up and down files of one version with
// different names.
func scan(fsys fs.FS, dir string) ([]pair, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	byVersion := map[int64]*pair{}
	for _, e := range entries {
		file := e.Name()
		// .SQL too: parseName refuses it, rather than leave a migration
		// out because of the case of its name.
		if e.IsDir() || !strings.HasSuffix(strings.ToLower(file), ".sql") {
			continue
		}
		f, err := parseName(file)
		if err != nil {
			return nil, err
		}
		p := byVersion[f.version]
		if p == nil {
			p = &pair{version: f.version, name: f.name}
			byVersion[f.version] = p
		}
		if err := p.add(f, file); err != nil {
			return nil, err
		}
	}
	pairs := make([]pair, 0, len(byVersion))
	for _, p := range byVersion {
		pairs = append(pairs, *p)
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.version, b.version) })
	return pairs, nil
}

// add records file, named f, as one of p's files.
func (p *pair) add(f fileName, file string) error {
	slot := &p.down
	if f.up {
		slot = &p.up
	}
	if *slot != "" {
		return fmt.Errorf("%s: duplicate version %d: %s has it too", file, f.version, *slot)
	}
	if f.name != p.name {
		other := p.up + p.down
		return fmt.Errorf("%s: duplicate version %d: %s has it under another name", file, f.version, other)
	}
	*slot = file
	return nil
}

// Load reads the migrations in the directory dir of fsys (an embed.FS, an
// os.DirFS, an fstest.MapFS; "." for its root), in increasing order of
// version. Every file whose name ends in .sql, in any case, must be named
// <version>_<name>.up.sql or <version>_<name>.down.sql, the version a
// positive integer (zero-padded or not: 0002 and 2 are the same version)
// and the name ASCII letters, digits, '_' or '-'; other files and
// subdirectories are ignored.
//
// Load refuses, with an error naming the file: a bad name, two files of
// one version (0002_a.up.sql and 0002_b.up.sql, or 2_a.up.sql beside
// 0002_a.up.sql), a down file without its up file, and an up file with no
// SQL in it (nothing but white space and comments). A version without a
// down file is a migration that cannot be reverted. A nil fsys is an
// error.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	if fsys == nil {
		return nil, errors.New("migrate: load: no file system (a nil fs.FS) to read migrations from")
	}
	pairs, err := scan(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("migrate: load: %w", err)
	}
	migrations := make([]Migration, 0, len(pairs))
	for _, p := range pairs {
		m, err := read(fsys, dir, p)
		if err != nil {
			return nil, fmt.Errorf("migrate: load: %w", err)
		}
		migrations = append(migrations, m)
	}
	return migrations, nil
}

// read reads the files of p.
func read(fsys fs.FS, dir string, p pair) (Migration, error) {
	if p.up == "" {
		return Migration{}, fmt.Errorf("%s: a down file without its up file (%04d_%s.up.sql)", p.down, p.version, p.name)
	}
	up, err := fs.ReadFile(fsys, path.Join(dir, p.up))
	if err != nil {
		return Migration{}, err
	}
	if isBlank(string(up)) {
		return Migration{}, fmt.Errorf("%s: no SQL in the up file (only white space and comments)", p.up)
	}
	sum := sha256.Sum256(up)
	m := Migration{Version: p.version, Name: p.name, UpFile: p.up, DownFile: p.down,
		Up: string(up), Checksum: hex.EncodeToString(sum[:])}
	if p.down != "" {
		down, err := fs.ReadFile(fsys, path.Join(dir, p.down))
		if err != nil {
			return Migration{}, err
		}
		m.Down = string(down)
	}
	return m, nil
}

// isBlank reports whether sql holds nothing but white space, "--" line
// comments and "/* */" block comments (nested, as PostgreSQL reads them).
func isBlank(sql string) bool {
	for {
		sql = strings.TrimLeft(sql, " \t\r\n\f\v")
		switch {
		case sql == "":
			return true
		case strings.HasPrefix(sql, "--"):
			_, rest, ok := strings.Cut(sql, "\n")
			if !ok {
				return true
			}
			sql = rest
		case strings.HasPrefix(sql, "/*"):
			end := blockCommentEnd(sql)
			if end < 0 {
				return false // an unterminated comment: let the database say so
			}
			sql = sql[end:]
		default:
			return false
		}
	}
}

// blockCommentEnd returns the index just past the block comment sql
// starts with, counting nested comments, or -1 when it does not end.
func blockCommentEnd(sql string) int {
	depth := 0
	for i := 0; i+1 < len(sql); i++ {
		switch sql[i : i+2] {
		case "/*":
			depth++
			i++
		case "*/":
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}
