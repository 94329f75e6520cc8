package org.nmodal.console.internal;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.nmodal.api.InvalidInputException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Headless mode of the launcher: when the property {@code nmodal.exec} holds a Gogo command, runs it once the
 * runtime has settled, prints its output and exits the JVM with 0 (done), 1 (the command failed) or 2 (unknown
 * command, bad arguments, or an {@link InvalidInputException} such as an invalid pipeline file). Errors are one line on stderr.
 */
@Component(immediate = true)
public final class ExecRunner {
    static final String PROPERTY = "nmodal.exec";
    /** When true, a command that succeeds leaves the runtime running (the launcher's serve mode). */
    static final String STAY = "nmodal.exec.stay";
    private static final long QUIET_MS = 300;
    private static final long STARTUP_LIMIT_MS = 120_000;
    private static final long STOP_LIMIT_MS = 30_000;

    /** Starts the one-shot command, if one was given. */
    @Activate
    public ExecRunner(BundleContext context, @Reference CommandProcessor processor) {
        String command = context.getProperty(PROPERTY);
        if (command == null || command.isBlank()) {
            return;
        }
        Thread thread = new Thread(() -> runAndExit(context, processor, command.trim()), "nmodal-exec");
        thread.start();
    }

    private static void runAndExit(BundleContext context, CommandProcessor processor, String command) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        int code;
        try {
            awaitSettled(context);
            code = execute(processor, command, out, err, (scope, function) -> usage(context, scope, function));
        } catch (InterruptedException e) {
            err.println("nmodal: interrupted before running '" + command + "'");
            code = 1;
        }
        out.flush();
        err.flush();
        if (code == 0 && Boolean.parseBoolean(context.getProperty(STAY))) {
            // a service (nmodal:serve): the runtime keeps running until it is stopped (Ctrl-C, SIGTERM)
            out.println("nmodal: running; Ctrl-C stops");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopBundles(context, err), "nmodal-stop"));
            return;
        }
        stopBundles(context, err);
        System.exit(code);
    }

    /**
     * Stops every other bundle in reverse start order (highest start level first, then newest first), so components deactivate and configuration is written cleanly, while
     * the framework itself stays up: stopping it would let the launcher exit first, with its own status. Transient
     * stops leave the bundles' persistent start settings alone for the next run.
     */
    private static void stopBundles(BundleContext context, PrintStream err) {
        long self = context.getBundle().getBundleId();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_LIMIT_MS);
        try {
            List<Bundle> bundles = new ArrayList<>(List.of(context.getBundles()));
            bundles.sort(Comparator.comparingInt((Bundle b) -> b.adapt(BundleStartLevel.class).getStartLevel())
                    .thenComparingLong(Bundle::getBundleId).reversed());
            for (Bundle b : bundles) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                if (b.getBundleId() != 0 && b.getBundleId() != self && b.getState() == Bundle.ACTIVE) {
                    try {
                        b.stop(Bundle.STOP_TRANSIENT);
                    } catch (Exception e) {
                        err.println("nmodal: stopping " + b.getSymbolicName() + " failed: " + e.getMessage());
                    }
                }
            }
        } catch (IllegalStateException e) {
            // the framework is already going down
        }
    }

    /**
     * Waits until no bundle is starting and no bundle or service event has come for a short while: the launcher
     * installs and starts bundles after the framework is up, so the framework's STARTED event comes too early.
     */
    static void awaitSettled(BundleContext context) throws InterruptedException {
        AtomicLong last = new AtomicLong(System.nanoTime());
        BundleListener bl = e -> last.set(System.nanoTime());
        ServiceListener sl = e -> last.set(System.nanoTime());
        context.addBundleListener(bl);
        context.addServiceListener(sl);
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_LIMIT_MS);
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                boolean starting = false;
                for (Bundle b : context.getBundles()) {
                    starting |= b.getState() == Bundle.STARTING;
                }
                if (!starting && System.nanoTime() - last.get() > TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
                    return;
                }
            }
        } finally {
            context.removeBundleListener(bl);
            context.removeServiceListener(sl);
        }
    }

    /**
     * Usage of a command from the {@code @Descriptor}s of whichever service registered it, so every bundle's commands
     * get the same one-line help on bad arguments.
     */
    static Optional<String> usage(BundleContext context, String scope, String function) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                    "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))");
            if (refs == null) {
                return Optional.empty();
            }
            for (ServiceReference<?> ref : refs) {
                Object service = context.getService(ref);
                try {
                    if (service != null) {
                        Optional<String> u = Usage.of(service.getClass(), scope, function);
                        if (u.isPresent()) {
                            return u;
                        }
                    }
                } finally {
                    if (service != null) {
                        context.ungetService(ref);
                    }
                }
            }
            return Optional.empty();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    static int execute(CommandProcessor processor, String command, PrintStream out, PrintStream err,
            BiFunction<String, String, Optional<String>> usage) {
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err)) {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return 0;
        } catch (Exception e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            String name = command.split("\\s+")[0];
            String type = cause.getClass().getSimpleName();
            String message = cause.getMessage() == null ? type : cause.getMessage().split("\n")[0];
            if (type.equals("CommandNotFoundException")) {
                err.println("nmodal: unknown command '" + name + "'; 'nmodal:help' lists nmodal's commands");
                return 2;
            }
            if (cause instanceof IllegalArgumentException && message.startsWith("Cannot coerce")) {
                String scope = name.contains(":") ? name.substring(0, name.indexOf(':')) : NModalCommands.SCOPE;
                String function = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
                String line = usage.apply(scope, function).map(u -> u.split("\n")[0]).orElse("help " + name);
                err.println("nmodal: bad arguments for " + name + "; usage: " + line);
                return 2;
            }
            err.println((name.startsWith("nmodal:") ? name : "nmodal: " + name) + ": " + message);
            return cause instanceof InvalidInputException ? 2 : 1;
        }
    }
}
