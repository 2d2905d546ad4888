package dev.stratus.dimse.message;

import dev.stratus.codec.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command sets (PS3.7 6.3, E.1): implicit VR little endian, a true Command Group Length, nothing that overruns. */
class CommandSetTest {
    @Test
    void encodesWithGroupLengthAndDecodesBack() throws Exception {
        CommandSet cs = new CommandSet().putUid(Tag.AffectedSOPClassUID, "1.2.840.10008.1.1")
                .putUS(Tag.CommandField, CommandField.C_ECHO_RQ).putUS(Tag.MessageID, 7)
                .putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET).putText(0x12111217, "tenant-a");
        byte[] b = cs.encode();
        // (0000,0000) UL: 4 bytes of tag, 4 of length, then the length of the rest of group 0000.
        assertEquals(0, b[0] | b[1] | b[2] | b[3]);
        int groupLength = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(8 + 18 + 8 + 2 + 8 + 2 + 8 + 2, groupLength); // UI padded to 18, three US
        CommandSet back = CommandSet.decode(b);
        assertEquals("1.2.840.10008.1.1", back.getString(Tag.AffectedSOPClassUID));
        assertEquals(7, back.messageId());
        assertFalse(back.hasDataSet());
        assertEquals("tenant-a", back.getString(0x12111217));
    }

    @Test
    void errorCommentIsAtMost64CharactersOfTheDefaultRepertoire() {
        CommandSet cs = new CommandSet().putErrorComment("x".repeat(100) + "\\é");
        assertEquals(64, cs.getString(Tag.ErrorComment).length());
        assertTrue(new CommandSet().putErrorComment("a\\b\u00e9").getString(Tag.ErrorComment).equals("a?b?"));
    }

    @Test
    void malformedCommandSetsAreRefused() {
        CommandSet cs = new CommandSet().putUS(Tag.CommandField, CommandField.C_ECHO_RQ).putUS(Tag.MessageID, 1);
        byte[] b = cs.encode();
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(Arrays.copyOf(b, b.length - 1)), "element cut short");
        byte[] wrongLength = b.clone();
        wrongLength[8] += 2;
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(wrongLength), "group length that lies");
        byte[] noField = new CommandSet().putUS(Tag.MessageID, 1).encode();
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(noField), "no Command Field");
        byte[] undefined = {0, 0, 0, 1, -1, -1, -1, -1};
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(undefined), "undefined length");
    }
}
