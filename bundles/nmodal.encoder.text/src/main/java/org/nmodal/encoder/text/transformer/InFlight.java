package org.nmodal.encoder.text.transformer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts calls in progress so deactivation can wait for them: during a hot swap the requests already inside the
 * old encoder finish on it before its native resources are closed.
 */
final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int calls;
    private boolean closed;

    /** Enters a call; false once draining has begun. */
    boolean enter() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            calls++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            if (--calls == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new calls and waits for the running ones; true if all finished in time. */
    boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            long nanos = unit.toNanos(timeout);
            while (calls > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return calls == 0;
        } finally {
            lock.unlock();
        }
    }
}
