package dev.stratus.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A STOW request sent by hand: its headers and the first half of its body now (the request is in flight, holding
 * whatever it holds on the server), the rest when asked.
 */
final class SlowStow implements AutoCloseable {
    private final Socket socket = new Socket();
    private final byte[] body;

    SlowStow(URI base, Multipart multipart) throws IOException {
        body = multipart.bytes();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(60_000);
        String head = "POST /dicomweb/studies HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: " + multipart.contentType() + "\r\nAccept: application/dicom+json\r\nConnection: close"
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
    }

    /** Sends the rest of the body; returns the whole response (status line, headers, body) as text. */
    String finish() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(Arrays.copyOfRange(body, body.length / 2, body.length));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
