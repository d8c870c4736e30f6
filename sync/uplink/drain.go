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
		u.log.Warn("connect failed, will retry", "err", err, "attempt", attempt+1,
			"retry_in", delay, "queued", u.box.len())
	}
	select {
	case <-u.clock.After(delay):
	case <-u.done:
	}
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
	case p := <-u.status:
		if err := u.wait(u.client.Publish(u.opts.StatusTopic, 1, true, p),
			u.opts.StatusTopic); err != nil {
			u.log.Warn("status publish failed, will retry", "err", err)
			u.SetStatus(p)
		}
	default:
	}
}

// drain publishes queued messages oldest first until the outbox is empty,
// the connection drops or Close is called. Up to InFlight messages are
// published before the first PUBACK is awaited. They leave on one
// connection in queue order, so the broker forwards them in that order.
// Only the acknowledged prefix of a window is deleted, so after a failure
// the next attempt starts at the first message without a PUBACK.
func (u *Uplink) drain() error {
	for !u.stopping() && u.client.IsConnectionOpen() {
		good, bad, err := u.box.peek(u.opts.InFlight)
		if err != nil {
			return fmt.Errorf("uplink: read outbox: %w", err)
		}
		for _, e := range bad {
			u.log.Error("dropping corrupt outbox entry", "key", fmt.Sprintf("%x", e.key))
		}
		if len(good) == 0 && len(bad) == 0 {
			return nil
		}
		acked, pubErr := u.publishWindow(good)
		if err := u.box.ack(good[:acked], bad); err != nil {
			return fmt.Errorf("uplink: delete sent messages: %w", err)
		}
		if pubErr != nil {
			return pubErr
		}
	}
	return nil
}

// publishWindow publishes entries without waiting, then waits for their
// PUBACKs in order. It returns how many of the first entries were
// acknowledged.
func (u *Uplink) publishWindow(entries []entry) (int, error) {
	toks := make([]mqtt.Token, len(entries))
	for i, e := range entries {
		toks[i] = u.client.Publish(e.msg.Topic, 1, e.msg.Retained, e.msg.Payload)
	}
	for i, tok := range toks {
		if err := u.wait(tok, entries[i].msg.Topic); err != nil {
			return i, err
		}
	}
	return len(toks), nil
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
