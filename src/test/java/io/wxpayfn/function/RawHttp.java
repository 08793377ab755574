package io.wxpayfn.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what an ordinary client will not do: declare a length and send none of it,
 * stream a chunked body without end, and notice whether the server stopped reading. Every read is bounded by a
 * timeout, so a server that waits for the body fails the test instead of hanging it.
 */
final class RawHttp {

    static final int READ_TIMEOUT_MS = 10_000;
    private static final byte[] FILLER = new byte[64 * 1024];

    static {
        Arrays.fill(FILLER, (byte) 'a');
    }

    /**
     * What came back: the status, the body, how many body bytes the server let the client send before it answered
     * and closed, and whether it closed the connection after answering.
     */
    record Answer(int status, String body, long bodyBytesSent, boolean closedAfterAnswer) {}

    private RawHttp() {}

    /** POST with {@code Content-Length: declaredLength}, then up to {@code bytesToSend} of it, while reading the answer. */
    static Answer postWithLength(int port, String path, long declaredLength, long bytesToSend) throws IOException {
        return exchange(port, path, "Content-Length: " + declaredLength, bytesToSend, false);
    }

    /** POST with {@code Transfer-Encoding: chunked}, streaming up to {@code bytesToSend} in 64 KiB chunks. */
    static Answer postChunked(int port, String path, long bytesToSend) throws IOException {
        return exchange(port, path, "Transfer-Encoding: chunked", bytesToSend, true);
    }

    private static Answer exchange(int port, String path, String framing, long bytesToSend, boolean chunked)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> stream(out, bytesToSend, chunked, sent), "raw-http-body-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = contentLength(head);
            byte[] body = in.readNBytes(length);
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            } catch (IOException reset) {
                closed = true;
            }
            // The answer is in; closing the socket stops a writer the server let go on.
            socket.close();
            join(writer);
            return new Answer(status, new String(body, StandardCharsets.UTF_8), sent.get(), closed);
        }
    }

    private static void stream(OutputStream out, long total, boolean chunked, AtomicLong sent) {
        try {
            while (sent.get() < total) {
                int n = (int) Math.min(FILLER.length, total - sent.get());
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(FILLER, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                sent.addAndGet(n);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException serverClosed) {
            // Expected once the server has refused the body and closed the connection.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed before an answer; got " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    private static void join(Thread writer) {
        try {
            writer.join(READ_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
