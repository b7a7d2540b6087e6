import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * The key type of unique-index maps: H2's own ObjectDataType, with the same stored form and the
 * same order, but serializing each key once rather than on every comparison and every write.
 *
 * The library's index keys (KeyValue) are not Comparable, so H2 orders them by their Java
 * serialization, and computed it afresh for each comparison of a B-tree search (a profile of
 * the submission path found that as a fifth of the server's CPU time) and again for each key
 * of every page the store writes (a tenth, with a page rewritten whenever one of its keys
 * changes). Here each key's bytes are computed once, or taken as read from the store, and kept
 * while the key object lives (the pages in H2's cache hold them). The bytes and the order are
 * exactly H2's, so stores written before this type read and search as they did.
 */
final class IndexKeyType extends ObjectDataType {

    /** H2's tag for a Java-serialized value (package-private in ObjectDataType). */
    private static final byte SERIALIZED_OBJECT = 19;

    private final Map<KeyValue, byte[]> serialized = Collections.synchronizedMap(new WeakHashMap<>());

    static MVMap.Builder<Object, Object> mapBuilder() {
        return new MVMap.Builder<Object, Object>().keyType(new IndexKeyType());
    }

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            return left == right ? 0 : compareNotNull(bytes(left), bytes(right));
        }
        return super.compare(a, b);
    }

    /** As H2 writes a serialized value: its tag, its length, its bytes. */
    @Override
    public void write(WriteBuffer buffer, Object key) {
        if (key instanceof KeyValue keyValue) {
            byte[] bytes = bytes(keyValue);
            buffer.put(SERIALIZED_OBJECT).putVarInt(bytes.length).put(bytes);
        } else {
            super.write(buffer, key);
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != SERIALIZED_OBJECT) {
            return super.read(buffer);
        }
        buffer.get();
        byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bytes);
        Object key = deserialize(bytes);
        if (key instanceof KeyValue keyValue) {
            serialized.put(keyValue, bytes);
        }
        return key;
    }

    /** What the store's cache counts for a key: H2 counts twice the serialized length. */
    @Override
    public int getMemory(Object key) {
        if (key instanceof KeyValue keyValue) {
            return 2 * bytes(keyValue).length;
        }
        return super.getMemory(key);
    }

    private byte[] bytes(KeyValue key) {
        byte[] known = serialized.get(key);
        if (known == null) {
            known = serialize(key);
            serialized.put(key, known);
        }
        return known;
    }
}
