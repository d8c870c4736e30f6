package uplink

import (
	"context"
	"errors"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"
)

// idleCheck is how often an idle connected loop looks at the connection.
const idleCheck = time.Second

// run connects, reconnects after a backoff, and sends the status and the
// outbox whenever there is a connection, until Close.
func (u *Uplink) run() {
	defer u.wg.Done()
	attempt := 0
	for !u.stopping() {
		if !u.client.IsConnectionOpen() {
			if err := u.connect(); err != nil {
				u.waitBackoff(attempt, err)
				attempt++
				continue
			}
			attempt = 0
		}
		// The status goes after the drain so that its last_seq never names
		// a summary still waiting in the outbox.
		if err := u.drain(); err != nil {
			u.log.Warn("publish failed, will retry", "err", err, "queued", u.box.len())
		}
		u.sendStatus()
		u.waitWork()
	}
}

func (u *Uplink) stopping() bool {
	select {
	case <-u.done:
		return true
	default:
		return false
	}
}

func (u *Uplink) connect() error {
	tok := u.client.Connect()
	select {
	case <-tok.Done():
	case <-u.done:
		return ErrClosed
	}
	return tok.Error()
}

// waitBackoff logs a failed connection attempt and waits before the next.
func (u *Uplink) waitBackoff(attempt int, err error) {
	if errors.Is(err, ErrClosed) {
		return
	}
	delay := u.opts.Backoff.Delay(attempt)
	if isAuthError(err) {
		u.log.Error("broker rejected the credentials, check mqtt.username and mqtt.password",
			"err", err, "username", u.opts.Username, "attempt", attempt+1, "retry_in", delay)
	} else {
		u.logUnreachable(attempt, delay, err)
	}
	select {
	case <-u.clock.After(delay):
	case <-u.done:
	}
}

// unreachableWarnEvery rate-limits the warning logged while no connection
// to the broker can be made.
const unreachableWarnEvery = time.Minute

// logUnreachable warns about the first failed attempt of an outage and
// then at most once per unreachableWarnEvery. Other attempts log at debug
// level.
func (u *Uplink) logUnreachable(attempt int, delay time.Duration, err error) {
	now := u.clock.Now()
	if attempt == 0 {
		u.down = now
	}
	if attempt > 0 && now.Sub(u.warned) < unreachableWarnEvery {
		u.log.Debug("connect failed, will retry", "err", err, "attempt", attempt+1,
			"retry_in", delay)
		return
	}
	u.warned = now
	u.log.Warn("connect failed, will retry", "err", err, "attempt", attempt+1,
		"retry_in", delay, "down_for", now.Sub(u.down).Round(time.Second),
		"queued", u.box.len())
}

func isAuthError(err error) bool {
	return errors.Is(err, packets.ErrorRefusedBadUsernameOrPassword) ||
		errors.Is(err, packets.ErrorRefusedNotAuthorised)
}

func (u *Uplink) waitWork() {
	select {
	case <-u.done:
	case <-u.wake:
	case <-time.After(idleCheck):
	}
}

func (u *Uplink) sendStatus() {
	select {
	case build := <-u.status:
		p := build(u.queue())
		if p == nil {
			return
		}
		if err := u.wait(u.client.Publish(u.opts.StatusTopic, 1, true, p),
			u.opts.StatusTopic); err != nil {
			u.log.Warn("status publish failed, will retry", "err", err)
			u.SetStatusFunc(build)
		}
	default:
	}
}

// drain publishes queued messages oldest first until the outbox is empty,
// the connection drops or Close is called. It keeps up to InFlight
// messages published but not yet acknowledged, and publishes the next one
// as each PUBACK arrives. They leave on one connection in queue order, so
// the broker forwards them in that order. PUBACKs are awaited in order and
// only the acknowledged prefix is deleted, in batches, so after a failure
// the next attempt starts at the first message without a PUBACK.
func (u *Uplink) drain() error {
	w := &window{}
	for !u.stopping() {
		if err := u.fill(w); err != nil {
			return err
		}
		if len(w.pending) == 0 {
			return u.commit(w)
		}
		head := w.pending[0]
		if err := u.wait(head.tok, head.msg.Topic); err != nil {
			return errors.Join(err, u.commit(w))
		}
		w.pending = w.pending[1:]
		w.acked = append(w.acked, head.entry)
		if len(w.acked) >= u.opts.InFlight || len(w.pending) == 0 {
			if err := u.commit(w); err != nil {
				return err
			}
		}
	}
	return u.commit(w)
}

// window is the state of one drain: messages published and awaiting their
// PUBACK, and messages acknowledged but not yet deleted.
type window struct {
	pending []published
	acked   []entry
	bad     []entry
	last    []byte // key of the newest entry read
}

type published struct {
	entry
	tok mqtt.Token
}

// fill publishes queued messages until InFlight are awaiting a PUBACK.
func (u *Uplink) fill(w *window) error {
	room := u.opts.InFlight - len(w.pending)
	if room <= 0 || !u.client.IsConnectionOpen() {
		return nil
	}
	good, bad, err := u.box.peek(w.last, room)
	if err != nil {
		return fmt.Errorf("uplink: read outbox: %w", err)
	}
	for _, e := range bad {
		u.log.Error("dropping corrupt outbox entry", "key", fmt.Sprintf("%x", e.key))
		w.last = e.key
	}
	w.bad = append(w.bad, bad...)
	for _, e := range good {
		tok := u.client.Publish(e.msg.Topic, 1, e.msg.Retained, e.msg.Payload)
		w.pending = append(w.pending, published{entry: e, tok: tok})
		w.last = e.key
	}
	return nil
}

// commit deletes the acknowledged and corrupt entries.
func (u *Uplink) commit(w *window) error {
	if len(w.acked) == 0 && len(w.bad) == 0 {
		return nil
	}
	if err := u.box.ack(w.acked, w.bad); err != nil {
		return fmt.Errorf("uplink: delete sent messages: %w", err)
	}
	w.acked, w.bad = w.acked[:0], w.bad[:0]
	return nil
}

func (u *Uplink) wait(tok mqtt.Token, topic string) error {
	if !tok.WaitTimeout(u.opts.AckTimeout) {
		return fmt.Errorf("uplink: publish %s: no PUBACK within %v", topic, u.opts.AckTimeout)
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("uplink: publish %s: %w", topic, err)
	}
	return nil
}

// Flush waits until the outbox is empty or ctx is done. A status not yet
// sent does not hold it up, because Close publishes the final status.
func (u *Uplink) Flush(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for u.box.len() > 0 {
		u.signal()
		select {
		case <-ctx.Done():
			return fmt.Errorf("uplink: flush with %d queued: %w", u.box.len(), ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// Close publishes final as the retained status when connected, stops the
// drain loop and disconnects. Messages still queued stay in the outbox for
// the next start.
func (u *Uplink) Close(final []byte) error {
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return ErrClosed
	}
	u.closed = true
	u.mu.Unlock()

	close(u.done)
	u.wg.Wait()
	var err error
	if final != nil && u.client.IsConnectionOpen() {
		err = u.wait(u.client.Publish(u.opts.StatusTopic, 1, true, final), u.opts.StatusTopic)
	}
	if u.client.IsConnected() {
		u.client.Disconnect(250)
	}
	u.log.Info("stopped", "queued", u.box.len(), "dropped_total", u.box.droppedTotal())
	return err
}
