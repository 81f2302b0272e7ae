//go:build !linux

package apm

// Processor is not available here: New always fails.
type Processor struct{}

// New fails with ErrUnavailable.
func New(Config) (*Processor, error) { return nil, ErrUnavailable }

func (p *Processor) Set(Config) error           { return ErrUnavailable }
func (p *Processor) Config() Config             { return Config{} }
func (p *Processor) Render([]int16) error       { return ErrUnavailable }
func (p *Processor) Capture([]int16, int) error { return ErrUnavailable }
func (p *Processor) Stats() Stats               { return Stats{EchoDelayMs: -1} }
func (p *Processor) Close()                     {}
