package aws;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The app is stopping: given once, it wakes every {@link AwsWait} that listens for it at once. */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Waits {@code nanos} unless the stop comes first; true if it did. */
    boolean await(long nanos) throws InterruptedException {
        return stopped.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
