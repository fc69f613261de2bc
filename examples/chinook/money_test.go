package main

import "testing"

func TestMoneyScan(t *testing.T) {
	cases := []struct {
		name    string
		src     any
		want    Money
		wantErr bool
	}{
		{"text", "0.99", 99, false},
		{"bytes", []byte("138.6"), 13860, false},
		{"negative", "-1.05", -105, false},
		{"whole", "7", 700, false},
		{"trailing zeros", "90.0900", 9009, false},
		{"integer", int64(3), 300, false},
		{"float sum", 0.99 + 0.99 + 0.99, 297, false},
		{"float off a cent", 0.995, 0, true},
		{"three decimals", "0.999", 0, true},
		{"no digits", ".5", 0, true},
		{"double sign", "--1", 0, true},
		{"garbage", "1.x", 0, true},
		{"bool", true, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m Money
			err := m.Scan(c.src)
			if (err != nil) != c.wantErr {
				t.Fatalf("Scan(%v): error %v, want error %v", c.src, err, c.wantErr)
			}
			if err == nil && m != c.want {
				t.Errorf("Scan(%v) = %d cents, want %d", c.src, m, c.want)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	for m, want := range map[Money]string{0: "0.00", 99: "0.99", 13860: "138.60", -5: "-0.05"} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", m, got, want)
		}
	}
}
