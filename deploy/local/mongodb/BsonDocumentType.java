import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How a stored document is written into the H2 store: as BSON, the form it came in on the wire.
 *
 * The H2 backend otherwise stores documents with Java object serialization (H2's
 * ObjectDataType falls back to it for any class it does not know): a profile of the platform's
 * submission path showed that serialization, class descriptors and all, as about half of the
 * server's CPU time. BSON is compact, and the server's own codec already reads and writes it.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    static final BsonDocumentType INSTANCE = new BsonDocumentType();

    /**
     * One encoding buffer per writing thread (the store's background writer, or a connection's
     * thread), kept between documents: a fresh one started at 256 bytes and was copied into a
     * larger one several times for each document of a few kilobytes.
     */
    private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(16 * 1024));

    private BsonDocumentType() {
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        ByteBuf encoded = ENCODING.get().clear();
        BsonEncoder.encodeDocument(document, encoded);
        int length = encoded.readableBytes();
        buffer.putVarInt(length);
        buffer.put(encoded.array(), encoded.arrayOffset() + encoded.readerIndex(), length);
        if (encoded.capacity() > 1024 * 1024) {
            ENCODING.remove(); // an outsized document: do not keep its buffer
        }
    }

    @Override
    public Document read(ByteBuffer buffer) {
        byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bytes);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /** The store's cache accounts pages by this estimate of the decoded document's heap. */
    @Override
    public int getMemory(Document document) {
        return (int) Math.min(Integer.MAX_VALUE, heapEstimate(document));
    }

    private static long heapEstimate(Object value) {
        if (value instanceof Map<?, ?> map) {
            long total = 64;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                total += 48 + heapEstimate(entry.getKey()) + heapEstimate(entry.getValue());
            }
            return total;
        }
        if (value instanceof Collection<?> values) {
            long total = 40;
            for (Object element : values) {
                total += 8 + heapEstimate(element);
            }
            return total;
        }
        if (value instanceof CharSequence text) {
            return 48 + text.length();
        }
        if (value instanceof byte[] bytes) {
            return 24 + bytes.length;
        }
        return 24;
    }
}
