package dev.stratus.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP proxy that a test can cut and restore, to play a database going away and coming back. */
final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private int port;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen(0);
    }

    int port() { return port; }

    private void listen(int onPort) throws IOException {
        server = new ServerSocket(onPort, 50, InetAddress.getLoopbackAddress());
        server.setReuseAddress(true);
        port = server.getLocalPort();
        ServerSocket s = server;
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed: the proxy is being cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** Refuses new connections and drops the established ones. */
    void cut() throws IOException {
        server.close();
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    /** Listens again on the same port. */
    void restore() throws IOException {
        listen(port);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
