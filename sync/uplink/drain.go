package uplink

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// retryDelay is how long the drain loop waits after a failed publication.
const retryDelay = time.Second

// run sends the status and the outbox whenever there is a connection.
func (u *Uplink) run() {
	defer u.wg.Done()
	for {
		select {
		case <-u.done:
			return
		case <-u.wake:
		case <-time.After(retryDelay):
		}
		if !u.client.IsConnectionOpen() {
			u.warnUnreachable()
			continue
		}
		u.down = time.Time{}
		u.sendStatus()
		if err := u.drain(); err != nil {
			u.log.Warn("publish failed, will retry", "err", err, "queued", u.box.len())
		}
	}
}

// unreachableWarnEvery rate-limits the warning logged while no connection
// to the broker can be made.
const unreachableWarnEvery = time.Minute

// warnUnreachable logs, at most once per unreachableWarnEvery, that the
// broker has been out of reach for a while.
func (u *Uplink) warnUnreachable() {
	now := time.Now()
	if u.down.IsZero() {
		u.down = now
		return
	}
	if now.Sub(u.down) < 10*time.Second || now.Sub(u.warned) < unreachableWarnEvery {
		return
	}
	u.warned = now
	u.log.Warn("broker unreachable, retrying", "down_for", now.Sub(u.down).Round(time.Second),
		"queued", u.box.len())
}

func (u *Uplink) sendStatus() {
	select {
	case p := <-u.status:
		if err := u.publish(u.opts.StatusTopic, p, true); err != nil {
			u.log.Warn("status publish failed, will retry", "err", err)
			u.SetStatus(p)
		}
	default:
	}
}

// drain publishes queued messages oldest first until the outbox is empty,
// the connection drops or Close is called. Each one is deleted only after
// its PUBACK.
func (u *Uplink) drain() error {
	for {
		select {
		case <-u.done:
			return nil
		default:
		}
		k, m, err := u.box.peek()
		if err != nil && k == nil {
			return fmt.Errorf("uplink: read outbox: %w", err)
		}
		if err != nil {
			u.log.Error("dropping corrupt outbox entry", "err", err)
			if err := u.box.remove(k); err != nil {
				return err
			}
			continue
		}
		if k == nil {
			return nil
		}
		if err := u.publish(m.Topic, m.Payload, m.Retained); err != nil {
			return err
		}
		if err := u.box.remove(k); err != nil {
			return fmt.Errorf("uplink: delete sent message: %w", err)
		}
	}
}

func (u *Uplink) publish(topic string, payload []byte, retained bool) error {
	tok := u.client.Publish(topic, 1, retained, payload)
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
	tick := time.NewTicker(50 * time.Millisecond)
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
		err = u.publish(u.opts.StatusTopic, final, true)
	}
	u.client.Disconnect(250)
	u.log.Info("stopped", "queued", u.box.len())
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}
