package io.streamops.gateway.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One stored response: what to answer (status, end-to-end headers, body), which request it answers
 * (its variant: the principal it was fetched for, when it must stay theirs, and the values of the
 * request headers its {@code Vary} names), and how fresh it is: stored when, good until when, and
 * its basis, the last invalidation the storing gateway had applied when it asked the upstream.
 */
record CachedResponse(
        int status,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        String variant,
        List<String> vary,
        long basis,
        long storedAtMillis,
        long expiresAtMillis) {

    private static final int FORMAT = 1;

    CachedResponse {
        headers = List.copyOf(headers);
        vary = List.copyOf(vary);
    }

    boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** For Redis: a versioned binary form (it outlives a gateway's version). */
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeShort(status);
            out.writeLong(basis);
            out.writeLong(storedAtMillis);
            out.writeLong(expiresAtMillis);
            out.writeUTF(variant);
            out.writeShort(vary.size());
            for (String name : vary) {
                out.writeUTF(name);
            }
            out.writeShort(headers.size());
            for (Map.Entry<String, String> h : headers) {
                out.writeUTF(h.getKey());
                out.writeUTF(h.getValue());
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entry, or null for bytes of another format (written by another version: a miss, not an error). */
    static CachedResponse decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readByte() != FORMAT) {
                return null;
            }
            int status = in.readShort();
            long basis = in.readLong();
            long storedAt = in.readLong();
            long expiresAt = in.readLong();
            String variant = in.readUTF();
            List<String> vary = new ArrayList<>();
            for (int i = in.readShort(); i > 0; i--) {
                vary.add(in.readUTF());
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = in.readShort(); i > 0; i--) {
                headers.add(Map.entry(in.readUTF(), in.readUTF()));
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new CachedResponse(status, headers, body, variant, vary, basis, storedAt, expiresAt);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
