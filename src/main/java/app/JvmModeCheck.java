package app;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start how this JVM compiles, collects and hashes, read from the JVM itself, and warns when a long-running
 * process got the one-shot's start-up options: {@code bin/s3tables-pipeline} chooses them from its command line and
 * environment, which a once set in a properties file does not reach.
 */
final class JvmModeCheck extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JvmModeCheck.class);

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (main.getCamelContext() == null) {
            return;
        }
        boolean oneShot = ManagementServerStartup.isOneShot(main.getCamelContext().getPropertiesComponent());
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            LOG.info("JVM: {} {}, not HotSpot: its compilers are not read", System.getProperty("java.vm.name"),
                    System.getProperty("java.vm.version"));
            return;
        }
        LOG.info("JVM of a {}: {}", oneShot ? "one-shot run" : "long-running process", describe(hotSpot));
        if (!oneShot && c1Only(hotSpot)) {
            LOG.warn("This long-running process runs with C1 alone (-XX:TieredStopAtLevel={}), the one-shot's start-up"
                    + " option: its runs convert about a third slower than with C2. Start it with bin/s3tables-pipeline"
                    + " without a once input on its command line or in its environment, or with"
                    + " S3TABLES_PIPELINE_JVM=service", option(hotSpot, "TieredStopAtLevel"));
        }
    }

    /** E.g. "compilers C1 and C2 (tiered), 2 compiler thread(s), ParallelGC, heap up to 256 MB, digests the JDK's". */
    static String describe(HotSpotDiagnosticMXBean hotSpot) {
        String compilers;
        if (!Boolean.parseBoolean(option(hotSpot, "TieredCompilation"))) {
            compilers = "C2 alone (-XX:-TieredCompilation)";
        } else if (c1Only(hotSpot)) {
            compilers = "C1 alone (-XX:TieredStopAtLevel=" + option(hotSpot, "TieredStopAtLevel") + ")";
        } else {
            compilers = "C1 and C2 (tiered)";
        }
        return String.format(Locale.ROOT, "compilers %s, %s compiler thread(s), %s, heap up to %d MB, digests %s",
                compilers, option(hotSpot, "CICompilerCount"), collector(hotSpot),
                Runtime.getRuntime().maxMemory() >> 20, NativeDigests.installed()
                        ? "BoringSSL's past 64 KB where Conscrypt has a library (-Ds3tables.nativeDigests=true)"
                        : "the JDK's");
    }

    private static boolean c1Only(HotSpotDiagnosticMXBean hotSpot) {
        String level = option(hotSpot, "TieredStopAtLevel");
        return Boolean.parseBoolean(option(hotSpot, "TieredCompilation")) && !level.isEmpty()
                && Integer.parseInt(level) < 4;
    }

    private static String collector(HotSpotDiagnosticMXBean hotSpot) {
        for (String gc : new String[] {"UseParallelGC", "UseG1GC", "UseSerialGC", "UseZGC", "UseShenandoahGC"}) {
            VMOption flag = flag(hotSpot, gc);
            if (flag != null && Boolean.parseBoolean(flag.getValue())) {
                return gc.substring("Use".length());
            }
        }
        return "another collector";
    }

    private static String option(HotSpotDiagnosticMXBean hotSpot, String name) {
        VMOption flag = flag(hotSpot, name);
        return flag == null ? "" : flag.getValue();
    }

    private static VMOption flag(HotSpotDiagnosticMXBean hotSpot, String name) {
        try {
            return hotSpot.getVMOption(name);
        } catch (IllegalArgumentException e) {
            // a flag this JVM does not have (Shenandoah in some builds)
            return null;
        }
    }
}
