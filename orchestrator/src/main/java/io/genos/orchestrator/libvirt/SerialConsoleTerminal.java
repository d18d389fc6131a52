package io.genos.orchestrator.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VM's serial console (ttyS0) as a {@link Terminal}: libvirt's {@code virDomainOpenConsole} on a connection of its
 * own, a blocking stream read by one reader thread, input sent to the same stream.
 *
 * <p>libvirt-java 0.5.4 has streams but no binding for {@code virDomainOpenConsole}: it is called here through JNA on
 * the C library libvirt-java already loads, with the domain's and the stream's native pointers (package-private in
 * libvirt-java, read by reflection).
 *
 * <p>libvirt lets one console stream per domain exist at a time: this one opens with {@code VIR_DOMAIN_CONSOLE_FORCE},
 * so it takes the console over from an earlier terminal (a browser reload), whose reader then ends with "taken over".
 * Closing ends only the stream: the guest's getty and shell on ttyS0 keep running (a serial line has no hang-up
 * here), so the next attach finds the same shell; the user presses Enter to see a prompt again.
 */
final class SerialConsoleTerminal implements Terminal {
    private static final Logger log = LoggerFactory.getLogger(SerialConsoleTerminal.class);
    /** {@code VIR_DOMAIN_CONSOLE_FORCE}: abort another session's stream on this console and take it. */
    static final int CONSOLE_FORCE = 1;

    /** The one libvirt function libvirt-java does not bind. */
    interface ConsoleApi extends Library {
        int virDomainOpenConsole(Pointer domain, String devName, Pointer stream, int flags);

        String virGetLastErrorMessage();

        /** Blocking: the bytes read, 0 at the end of the stream, -1 on error. */
        int virStreamRecv(Pointer stream, Pointer data, long nbytes);

        /** Blocking: the bytes sent, -1 on error. */
        int virStreamSend(Pointer stream, Pointer data, long nbytes);
    }

    private static volatile ConsoleApi api;

    private final Connect connect;
    private final Stream stream;
    private final Pointer streamPointer;
    private final TerminalOutput output;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final Object sendLock = new Object();
    /** Set, under {@link #sendLock}, when the stream's native memory is freed: no send may touch it after. */
    private boolean freed;
    private final Thread reader;

    private SerialConsoleTerminal(Connect connect, Stream stream, TerminalOutput output, String name) {
        this.connect = connect;
        this.stream = stream;
        this.streamPointer = pointer(stream, "vsp");
        this.output = output;
        this.reader = Thread.ofPlatform().daemon().name("genos-serial-" + name).unstarted(this::read);
    }

    /**
     * Opens the serial console of the domain with this UUID on a new connection to {@code uri}, taking it over from
     * any other session. Throws {@link RuntimeFailureException} when libvirt refuses.
     */
    static SerialConsoleTerminal open(String uri, String domainUuid, TerminalOutput output) {
        Connect c;
        try {
            c = new Connect(uri);
        } catch (LibvirtException e) {
            throw new RuntimeFailureException("libvirt is not available at " + uri + ": " + e.getMessage(), e);
        }
        Stream s = null;
        try {
            Domain d = c.domainLookupByUUIDString(domainUuid);
            s = c.streamNew(0);
            int rc = api().virDomainOpenConsole(pointer(d, "vdp"), null, pointer(s, "vsp"), CONSOLE_FORCE);
            if (rc < 0) {
                String why = api().virGetLastErrorMessage();
                throw new RuntimeFailureException("libvirt refused to open the VM's serial console: " + why);
            }
            SerialConsoleTerminal t = new SerialConsoleTerminal(c, s, output, d.getName());
            t.reader.start();
            return t;
        } catch (LibvirtException | RuntimeException e) {
            free(s);
            try {
                c.close();
            } catch (LibvirtException ce) {
                log.debug("closing the console's connection: {}", ce.toString());
            }
            if (e instanceof RuntimeFailureException r) {
                throw r;
            }
            throw new RuntimeFailureException("could not open the VM's serial console: " + e.getMessage(), e);
        }
    }

    private void read() {
        // native memory, not a Java array: the call blocks for as long as the guest prints nothing
        Memory buffer = new Memory(16 * 1024);
        String reason = "closed";
        try {
            while (true) {
                int n = api().virStreamRecv(streamPointer, buffer, buffer.size());
                if (n > 0) {
                    output.output(buffer.getByteArray(0, n));
                } else if (n == 0) {
                    reason = open.get() ? "the VM's console ended (the VM stopped, or another terminal took it over)"
                            : "closed";
                    break;
                } else if (n != -2) {
                    reason = open.get() ? "the VM's console ended (the VM stopped, or another terminal took it over): "
                            + api().virGetLastErrorMessage() : "closed";
                    break;
                }
            }
        } catch (RuntimeException e) {
            reason = open.get() ? "the VM's console failed: " + e.getMessage() : "closed";
        } finally {
            open.set(false);
            // a send on another thread may still be using the stream: it is freed only once no send is under way
            // (a blocked send returns once the stream is aborted or ended), and no send starts after
            synchronized (sendLock) {
                freed = true;
                free(stream);
            }
            try {
                connect.close();
            } catch (LibvirtException e) {
                log.debug("closing the console's connection: {}", e.toString());
            }
            ended(reason);
        }
    }

    @Override
    public void write(byte[] input) {
        if (!open.get()) {
            throw new InvalidRequestException("the terminal is closed");
        }
        if (input.length == 0) {
            return;
        }
        synchronized (sendLock) {
            if (freed || !open.get()) {
                throw new InvalidRequestException("the terminal is closed");
            }
            Memory data = new Memory(input.length);
            data.write(0, input, 0, input.length);
            long off = 0;
            while (off < input.length) {
                int n = api().virStreamSend(streamPointer, data.share(off), input.length - off);
                if (n < 0 && n != -2) {
                    throw new RuntimeFailureException("could not type into the VM's serial console: "
                            + api().virGetLastErrorMessage());
                }
                off += Math.max(0, n);
            }
        }
    }

    /**
     * Does nothing: a serial line has no window size the guest could be told about (unlike a pseudo-terminal). Full
     * screen programs on the serial console assume 80x24 unless the user runs {@code stty rows R cols C} in the guest.
     * The arguments are still checked as for any terminal.
     */
    @Override
    public void resize(int columns, int rows) {
        if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
            throw new InvalidRequestException("a terminal of " + columns + "x" + rows
                    + " cells is not possible: use 1 to 1000 columns and rows");
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /** Ends this console stream (not the guest's shell); the reader thread then frees the stream and connection. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            stream.abort();
        } catch (LibvirtException | RuntimeException e) {
            log.debug("aborting the console stream: {}", e.toString());
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended("closed");
    }

    private void ended(String reason) {
        if (closedReported.compareAndSet(false, true)) {
            try {
                output.closed(reason);
            } catch (RuntimeException e) {
                log.debug("terminal listener failed: {}", e.toString());
            }
        }
    }

    private static void free(Stream s) {
        if (s != null) {
            try {
                s.free();
            } catch (LibvirtException | RuntimeException e) {
                log.debug("freeing the console stream: {}", e.toString());
            }
        }
    }

    private static ConsoleApi api() {
        ConsoleApi a = api;
        if (a == null) {
            synchronized (SerialConsoleTerminal.class) {
                if (api == null) {
                    api = Native.load("virt", ConsoleApi.class);
                }
                a = api;
            }
        }
        return a;
    }

    /** The native pointer libvirt-java keeps in a package-private field ({@code Domain.vdp}, {@code Stream.vsp}). */
    private static Pointer pointer(Object owner, String field) {
        try {
            Field f = owner.getClass().getDeclaredField(field);
            f.setAccessible(true);
            Object p = f.get(owner);
            if (p instanceof PointerType pt && pt.getPointer() != null) {
                return pt.getPointer();
            }
            throw new IllegalStateException(owner.getClass().getSimpleName() + "." + field + " holds no pointer");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this libvirt-java has no " + owner.getClass().getSimpleName() + "."
                    + field + " (written for 0.5.4): " + e.getMessage(), e);
        }
    }
}
