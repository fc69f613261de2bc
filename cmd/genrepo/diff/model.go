package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// DefaultVar is the name of the model variable ModelSQL reads when the
// model reference names none.
const DefaultVar = "Model"

// ModelSQL returns the statements the model's CreateSQL gives for the
// dialect ("postgres" or "sqlite"). model is PKGPATH or PKGPATH.VarName:
// the import path of a package holding an exported *model.Model variable,
// named Model unless VarName says otherwise. dir is a directory of the Go
// module the program belongs to ("" for the current directory).
//
// ModelSQL writes a small main package into a temporary directory inside
// that module (its name begins with genrepodiff), runs it with `go run`
// from the module's root, so that it builds against the module's own
// go.mod, go.sum, replace directives and vendor directory, and removes
// it. The package only imports PKGPATH, genrepo's model package and the
// dialect's package, and prints the statements as JSON.
func ModelSQL(ctx context.Context, dir, model, dialectName string) ([]string, error) {
	var dialectPkg string
	switch dialectName {
	case Postgres, SQLite:
		dialectPkg = "github.com/genrepo/genrepo/dialect/" + dialectName
	default:
		return nil, fmt.Errorf("diff: model: unknown dialect %q", dialectName)
	}
	out, err := runModel(ctx, dir, model, func(pkg, name string) string {
		return fmt.Sprintf(mainSource, pkg, dialectPkg, name)
	})
	if err != nil {
		return nil, err
	}
	var stmts []string
	if err := json.Unmarshal(out, &stmts); err != nil {
		return nil, fmt.Errorf("diff: model %s: reading the statements: %w", model, err)
	}
	return stmts, nil
}

// ModelDiagram returns the model's entity-relationship diagram in the
// named format: "mermaid" (model.Model.Mermaid) or "dot" (model.Model.DOT,
// for Graphviz). It reads the model as ModelSQL reads the statements,
// through a temporary main package that imports no dialect.
func ModelDiagram(ctx context.Context, dir, model, format string) (string, error) {
	var method string
	switch format {
	case "mermaid":
		method = "Mermaid"
	case "dot":
		method = "DOT"
	default:
		return "", fmt.Errorf("diff: model %s: diagram format %q is neither mermaid nor dot", model, format)
	}
	out, err := runModel(ctx, dir, model, func(pkg, name string) string {
		return fmt.Sprintf(diagramSource, pkg, name, method)
	})
	return string(out), err
}

// runModel writes the main package source gives for the model's package
// and variable into a temporary directory of dir's module, runs it from
// the module's root, removes it, and returns what it printed.
func runModel(ctx context.Context, dir, model string, source func(pkg, name string) string) ([]byte, error) {
	pkg, name, err := splitModel(model)
	if err != nil {
		return nil, err
	}
	root, err := moduleRoot(ctx, dir)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(root, "genrepodiff")
	if err != nil {
		return nil, fmt.Errorf("diff: model: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), []byte(source(pkg, name)), 0o644); err != nil {
		return nil, fmt.Errorf("diff: model: %w", err)
	}
	cmd := exec.CommandContext(ctx, "go", "run", "./"+filepath.Base(tmp))
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("diff: model %s: go run: %w\n%s", model, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// splitModel splits PKGPATH[.VarName] after the last slash.
func splitModel(model string) (pkg, name string, err error) {
	if model == "" {
		return "", "", errors.New("diff: model: no package named")
	}
	slash := strings.LastIndex(model, "/")
	pkg, name = model, DefaultVar
	if dot := strings.LastIndex(model, "."); dot > slash && slash >= 0 {
		pkg, name = model[:dot], model[dot+1:]
	}
	if name == "" || !isExported(name) {
		return "", "", fmt.Errorf("diff: model %q: %q is not an exported variable name", model, name)
	}
	return pkg, name, nil
}

// isExported reports whether name is an exported Go identifier.
func isExported(name string) bool {
	for i, r := range name {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9'
		if !ok || i == 0 && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return name != ""
}

// moduleRoot returns the root directory of the main module of dir, as the
// go command finds it.
func moduleRoot(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("diff: model: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("diff: model: %s is not inside a Go module", dirName(dir))
	}
	return filepath.Dir(gomod), nil
}

func dirName(dir string) string {
	if dir == "" {
		return "the current directory"
	}
	return dir
}

// mainSource is the temporary main package: the model's package, the
// dialect's package and the variable's name fill it in.
const mainSource = `// Code generated by genrepo migrate diff; it is removed when done.

package main

import (
	"encoding/json"
	"fmt"
	"os"

	target %q

	"github.com/genrepo/genrepo/model"
	d %q
)

func main() {
	var m *model.Model = target.%s
	for _, t := range m.Tables() {
		if s := t.Info().Schema; s != "" {
			fmt.Fprintf(os.Stderr, "table %%s is in schema %%s (InSchema): migrate diff writes unqualified tables only\n", t.Info().Name, s)
			os.Exit(1)
		}
	}
	stmts, err := m.CreateSQL(d.Dialect())
	if err == nil {
		err = json.NewEncoder(os.Stdout).Encode(stmts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

// diagramSource is the temporary main package of ModelDiagram: the
// model's package, the variable's name and the method fill it in.
const diagramSource = `// Code generated by genrepo erd; it is removed when done.
package main

import (
	"fmt"

	target %q
	"github.com/genrepo/genrepo/model"
)

func main() {
	var m *model.Model = target.%s
	fmt.Print(m.%s())
}
`
