package media

import (
	"fmt"
	"sort"
	"syscall"
	"testing"
	"time"

	"kaigi/media/pattern"
	"kaigi/media/vpx"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEncodeVP8 reports frames/s and CPU per frame of our encoder
// on the moving test pattern at a realistic bitrate.
func BenchmarkEncodeVP8(b *testing.B) {
	for _, c := range []struct{ w, h, kbps int }{{640, 480, 800}, {1280, 720, 1500}} {
		b.Run(fmt.Sprintf("%dx%d", c.w, c.h), func(b *testing.B) {
			enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: c.w, Height: c.h, FPS: 30, BitrateKbps: c.kbps, Threads: map[bool]int{true: 2, false: 1}[c.w >= 1280]})
			if err != nil {
				b.Fatal(err)
			}
			defer enc.Close()
			frames := make([][]byte, 30)
			for i := range frames {
				frames[i] = make([]byte, c.w*c.h*3/2)
				pattern.Draw(frames[i], c.w, c.h, uint32(i), 0, pattern.Stamp{Counter: uint32(i)})
			}
			var bytes int
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				data, _, err := enc.Encode(frames[i%len(frames)], false)
				if err != nil {
					b.Fatal(err)
				}
				bytes += len(data)
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/frame")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)*30/1e6*100, "%core@30fps")
			b.ReportMetric(float64(bytes*8*30)/float64(b.N)/1000, "kbps@30fps")
		})
	}
}

// BenchmarkDecodeVP8 reports decode frames/s, with and without the
// conversion to RGBA the screen needs.
func BenchmarkDecodeVP8(b *testing.B) {
	for _, c := range []struct{ w, h int }{{640, 480}, {1280, 720}} {
		enc, err := vpx.NewEncoder(vpx.EncoderConfig{Width: c.w, Height: c.h, FPS: 30, BitrateKbps: 1000})
		if err != nil {
			b.Fatal(err)
		}
		frame := make([]byte, c.w*c.h*3/2)
		var stream [][]byte
		for i := 0; i < 60; i++ {
			pattern.Draw(frame, c.w, c.h, uint32(i), 0, pattern.Stamp{})
			data, _, _ := enc.Encode(frame, i == 0)
			stream = append(stream, append([]byte(nil), data...))
		}
		enc.Close()
		for _, toRGBA := range []bool{false, true} {
			b.Run(fmt.Sprintf("%dx%d/rgba=%v", c.w, c.h, toRGBA), func(b *testing.B) {
				rgba := make([]byte, c.w*c.h*4)
				var dec *vpx.Decoder
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if i%len(stream) == 0 {
						if dec != nil {
							dec.Close()
						}
						dec, _ = vpx.NewDecoder(1)
					}
					if _, _, _, err := dec.Decode(stream[i%len(stream)], nil); err != nil {
						b.Fatal(err)
					}
					if toRGBA {
						_ = dec.RGBA(rgba)
					}
				}
				b.StopTimer()
				dec.Close()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
			})
		}
	}
}

// BenchmarkLoopbackLatency measures glass-to-glass latency (capture stamp
// in the picture to decoded picture) over real PeerConnections on
// loopback at 640x480@30; each iteration is one second of call.
func BenchmarkLoopbackLatency(b *testing.B) {
	local, err := NewFakeLocal(640, 480, 30, 440)
	if err != nil {
		b.Fatal(err)
	}
	defer local.Close()
	remote, err := NewRemote(RemoteConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer remote.Close()
	_, _, stop := connect(b, local, remote)
	defer stop()
	time.Sleep(time.Second)
	b.ResetTimer()
	var p50s, p95s []float64
	for i := 0; i < b.N; i++ {
		time.Sleep(time.Second)
		if s := remote.Stats(); len(s) == 1 {
			p50s = append(p50s, s[0].LatencyP50ms)
			p95s = append(p95s, s[0].LatencyP95ms)
		}
	}
	b.StopTimer()
	if len(p50s) > 0 {
		sort.Float64s(p50s)
		sort.Float64s(p95s)
		b.ReportMetric(p50s[len(p50s)/2], "p50-ms")
		b.ReportMetric(p95s[len(p95s)/2], "p95-ms")
	}
}

// BenchmarkSimulcast reports the publisher's encoding cost per camera
// frame with the camera sent as one layer and as livekit-client's layers
// (SimulcastLayers: two for 640x480, three for 1280x720), each layer at
// its MaxBitrate: the scaling and every encoder.
func BenchmarkSimulcast(b *testing.B) {
	for _, c := range []struct{ w, h int }{{640, 480}, {1280, 720}} {
		all := SimulcastLayers(c.w, c.h)
		for _, layers := range [][]Layer{all[len(all)-1:], all} {
			b.Run(fmt.Sprintf("%dx%d/%d-layers", c.w, c.h, len(layers)), func(b *testing.B) {
				frames := make([][]byte, 30)
				for i := range frames {
					frames[i] = make([]byte, c.w*c.h*3/2)
					pattern.Draw(frames[i], c.w, c.h, uint32(i), 0, pattern.Stamp{Counter: uint32(i)})
				}
				var outs []LayerOutput
				for _, ly := range layers {
					outs = append(outs, LayerOutput{Layer: ly, Write: func([]byte, time.Duration) error { return nil }})
				}
				s := (&Local{}).SendLayers(outs)
				defer s.Stop()
				threads := 1
				if c.w >= 1280 {
					threads = 2
				}
				cfg := vpx.EncoderConfig{Threads: threads}
				now := time.Now()
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					now = now.Add(time.Second / 30)
					if _, err := s.encode(frames[i%len(frames)], c.w, c.h, 30, now, 0, false, false, cfg); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				cpu := cpuTime() - cpu0
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/frame")
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)*30/1e6*100, "%core@30fps")
			})
		}
	}
}
