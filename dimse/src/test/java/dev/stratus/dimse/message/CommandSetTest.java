package dev.stratus.dimse.message;

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
        CommandSet cs = new CommandSet().putUid(CommandSet.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.1.1")
                .putUS(CommandSet.COMMAND_FIELD, CommandField.C_ECHO_RQ).putUS(CommandSet.MESSAGE_ID, 7)
                .putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET).putText(0x12111217, "tenant-a");
        byte[] b = cs.encode();
        // (0000,0000) UL: 4 bytes of tag, 4 of length, then the length of the rest of group 0000.
        assertEquals(0, b[0] | b[1] | b[2] | b[3]);
        int groupLength = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(8 + 18 + 8 + 2 + 8 + 2 + 8 + 2, groupLength); // UI padded to 18, three US
        CommandSet back = CommandSet.decode(b);
        assertEquals("1.2.840.10008.1.1", back.getString(CommandSet.AFFECTED_SOP_CLASS_UID));
        assertEquals(7, back.messageId());
        assertFalse(back.hasDataSet());
        assertEquals("tenant-a", back.getString(0x12111217));
    }

    @Test
    void errorCommentIsAtMost64CharactersOfTheDefaultRepertoire() {
        CommandSet cs = new CommandSet().putErrorComment("x".repeat(100) + "\\é");
        assertEquals(64, cs.getString(CommandSet.ERROR_COMMENT).length());
        assertTrue(new CommandSet().putErrorComment("a\\b\u00e9").getString(CommandSet.ERROR_COMMENT).equals("a?b?"));
    }

    @Test
    void malformedCommandSetsAreRefused() {
        CommandSet cs = new CommandSet().putUS(CommandSet.COMMAND_FIELD, CommandField.C_ECHO_RQ).putUS(CommandSet.MESSAGE_ID, 1);
        byte[] b = cs.encode();
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(Arrays.copyOf(b, b.length - 1)), "element cut short");
        byte[] wrongLength = b.clone();
        wrongLength[8] += 2;
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(wrongLength), "group length that lies");
        byte[] noField = new CommandSet().putUS(CommandSet.MESSAGE_ID, 1).encode();
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(noField), "no Command Field");
        byte[] undefined = {0, 0, 0, 1, -1, -1, -1, -1};
        assertThrows(MalformedCommandException.class, () -> CommandSet.decode(undefined), "undefined length");
    }
}
