package dialect

import "strings"

// Redact hides the password in a connection URL or DSN, for quoting it in
// an error or a log: the
// password of a URL's user information, and the value of any password=
// setting, as a query parameter or in a key=value DSN.
func Redact(url string) string {
	url = redactParams(url)
	at := strings.LastIndexByte(url, '@')
	if at < 0 {
		return url
	}
	start := strings.Index(url, "://")
	if start < 0 || start > at {
		return url
	}
	userinfo := url[start+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:start+3] + user + ":xxxxx" + url[at:]
	}
	return url
}

// redactParams replaces the value of every password= setting with xxxxx.
// A value ends at '&' or a space, or at its closing quote when it starts
// with one ('quoted value' in a key=value DSN).
func redactParams(s string) string {
	const key = "password="
	var b strings.Builder
	for {
		i := strings.Index(s, key)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+len(key)])
		b.WriteString("xxxxx")
		s = s[i+len(key):]
		end := strings.IndexAny(s, "& ")
		if strings.HasPrefix(s, "'") {
			end = -1
			for j := 1; j < len(s); j++ {
				if s[j] == '\\' {
					j++
				} else if s[j] == '\'' {
					end = j + 1
					break
				}
			}
		}
		if end < 0 {
			return b.String()
		}
		s = s[end:]
	}
}
