package logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/** An exception of a log event with its message, and those of its causes and suppressed ones, masked. */
final class MaskedThrowable implements IThrowableProxy {

    private final IThrowableProxy thrown;
    private final IThrowableProxy cause;
    private final IThrowableProxy[] suppressed;

    private MaskedThrowable(IThrowableProxy thrown) {
        this.thrown = thrown;
        // a cyclic chain ends where logback's proxy ends it: its proxies hold no cycle
        this.cause = of(thrown.getCause());
        IThrowableProxy[] own = thrown.getSuppressed();
        this.suppressed = own == null ? null : new IThrowableProxy[own.length];
        for (int i = 0; own != null && i < own.length; i++) {
            suppressed[i] = of(own[i]);
        }
    }

    static IThrowableProxy of(IThrowableProxy thrown) {
        return thrown == null ? null : new MaskedThrowable(thrown);
    }

    @Override
    public String getOverridingMessage() {
        return LogMasking.message(thrown.getOverridingMessage());
    }

    @Override
    public String getMessage() {
        return LogMasking.message(thrown.getMessage());
    }

    @Override
    public String getClassName() {
        return thrown.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return thrown.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return thrown.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return cause;
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        return suppressed;
    }

    @Override
    public boolean isCyclic() {
        return thrown.isCyclic();
    }
}
