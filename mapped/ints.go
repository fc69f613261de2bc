package mapped

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// intAccess reads and writes a value of an integer type V (any integer
// kind, named or not) as an int64, without reflection per call: the kind
// is looked up once, when a column is declared. get reports false for a
// value beyond int64's range (a large uint64); set reports false, changing
// nothing, for a number V cannot hold.
type intAccess[V any] struct {
	get func(p *V) (int64, bool)
	set func(p *V, n int64) bool
}

// intAccessOf returns the access of V, and false when V is not an integer
// type.
func intAccessOf[V any]() (intAccess[V], bool) {
	switch reflect.TypeFor[V]().Kind() {
	case reflect.Int:
		return signed[int, V](), true
	case reflect.Int8:
		return signed[int8, V](), true
	case reflect.Int16:
		return signed[int16, V](), true
	case reflect.Int32:
		return signed[int32, V](), true
	case reflect.Int64:
		return signed[int64, V](), true
	case reflect.Uint:
		return unsigned[uint, V](), true
	case reflect.Uint8:
		return unsigned[uint8, V](), true
	case reflect.Uint16:
		return unsigned[uint16, V](), true
	case reflect.Uint32:
		return unsigned[uint32, V](), true
	case reflect.Uint64:
		return unsigned[uint64, V](), true
	}
	return intAccess[V]{}, false
}

// signed is the access of a V whose underlying type is the signed I.
func signed[I int | int8 | int16 | int32 | int64, V any]() intAccess[V] {
	bits := unsafe.Sizeof(I(0)) * 8
	hi := int64(1)<<(bits-1) - 1
	lo := -hi - 1
	return intAccess[V]{
		get: func(p *V) (int64, bool) { return int64(*(*I)(unsafe.Pointer(p))), true },
		set: func(p *V, n int64) bool {
			if n < lo || n > hi {
				return false
			}
			*(*I)(unsafe.Pointer(p)) = I(n)
			return true
		},
	}
}

// unsigned is the access of a V whose underlying type is the unsigned U.
func unsigned[U uint | uint8 | uint16 | uint32 | uint64, V any]() intAccess[V] {
	hi := uint64(math.MaxUint64) >> (64 - unsafe.Sizeof(U(0))*8)
	return intAccess[V]{
		get: func(p *V) (int64, bool) {
			u := uint64(*(*U)(unsafe.Pointer(p)))
			return int64(u), u <= math.MaxInt64
		},
		set: func(p *V, n int64) bool {
			if n < 0 || uint64(n) > hi {
				return false
			}
			*(*U)(unsafe.Pointer(p)) = U(n)
			return true
		},
	}
}

// convertKey converts v, a key value given as any (as to Repo.Get), to the
// key type V: v itself when it is a V, the same number when v is an
// integer of any type that V holds without loss, or the same value when v
// has V's underlying type (a string for a named string key). It reports
// what was wrong otherwise.
func convertKey[V any](v any) (V, error) {
	var out V
	if x, ok := v.(V); ok {
		return x, nil
	}
	want := reflect.TypeFor[V]()
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return out, fmt.Errorf("got nil, want %v", want)
	}
	dst := reflect.ValueOf(&out).Elem()
	switch {
	case isInt(rv.Kind()) && isInt(want.Kind()):
		if !setInt(dst, rv) {
			return out, fmt.Errorf("%v does not fit %v", v, want)
		}
	case rv.Kind() == want.Kind() && rv.Type().ConvertibleTo(want) && rv.Kind() != reflect.Interface:
		dst.Set(rv.Convert(want))
	default:
		return out, fmt.Errorf("got %T, want %v", v, want)
	}
	return out, nil
}

// setInt stores the integer src in the integer dst, reporting false when
// it does not fit.
func setInt(dst, src reflect.Value) bool {
	unsignedDst := dst.CanUint()
	if src.CanUint() {
		u := src.Uint()
		if unsignedDst {
			if dst.OverflowUint(u) {
				return false
			}
			dst.SetUint(u)
			return true
		}
		if u > math.MaxInt64 || dst.OverflowInt(int64(u)) {
			return false
		}
		dst.SetInt(int64(u))
		return true
	}
	n := src.Int()
	if unsignedDst {
		if n < 0 || dst.OverflowUint(uint64(n)) {
			return false
		}
		dst.SetUint(uint64(n))
		return true
	}
	if dst.OverflowInt(n) {
		return false
	}
	dst.SetInt(n)
	return true
}

func isInt(k reflect.Kind) bool {
	return reflect.Int <= k && k <= reflect.Uint64
}
