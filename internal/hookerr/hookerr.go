// Package hookerr builds the error a statement hook receives
// (dialect.Event.Err): the driver's error, unchanged when its text cannot
// quote a bound value, and otherwise behind a text that says what failed
// without the driver's message. Each dialect decides which of its errors
// are safe; this package only holds the wrapper.
package hookerr

// Withhold returns an error whose Error is text and whose Unwrap is err, so
// that errors.Is and errors.As reach the driver's error while its message,
// which may quote a value, is never printed through it.
func Withhold(err error, text string) error {
	return &withheld{text: text, err: err}
}

type withheld struct {
	text string
	err  error
}

func (e *withheld) Error() string { return e.text }
func (e *withheld) Unwrap() error { return e.err }
