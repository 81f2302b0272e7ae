package rtc

import "errors"

var errRED = errors.New("rtc: malformed RED payload")

// REDPrimary is the primary block of a RED payload (RFC 2198): the frame
// the packet itself carries, after the redundant ones. For a receiver
// that takes the inner codec but not RED.
func REDPrimary(payload []byte) ([]byte, error) {
	skip, i := 0, 0
	for {
		if i >= len(payload) {
			return nil, errRED
		}
		if payload[i]&0x80 == 0 { // the last header: one byte
			i++
			break
		}
		if i+4 > len(payload) {
			return nil, errRED
		}
		skip += int(payload[i+2]&0x03)<<8 | int(payload[i+3])
		i += 4
	}
	if i+skip > len(payload) {
		return nil, errRED
	}
	return payload[i+skip:], nil
}
