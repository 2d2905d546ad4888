// Just enough of DICOM Part 10 (PS3.10 7.1) to name the instance a file holds before it is sent: the file meta
// information, always Explicit VR Little Endian, after a 128-byte preamble and "DICM".

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
/** The meta group is small; a file whose group 2 does not fit in this is not one we can name. */
const HEAD = 16 * 1024;

/**
 * The SOP Instance UID (0002,0003) of a Part 10 file, or null when the file is not one.
 * @param {Blob} file
 */
export async function sopInstanceUid(file) {
  const bytes = new Uint8Array(await file.slice(0, HEAD).arrayBuffer());
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 132;
  while (at + 8 <= bytes.length) {
    const group = view.getUint16(at, true), element = view.getUint16(at + 2, true);
    if (group !== 2) return null;
    const vr = String.fromCharCode(bytes[at + 4], bytes[at + 5]);
    let length, valueAt;
    if (LONG_VRS.has(vr)) {
      if (at + 12 > bytes.length) return null;
      length = view.getUint32(at + 8, true);
      valueAt = at + 12;
    } else {
      length = view.getUint16(at + 6, true);
      valueAt = at + 8;
    }
    if (valueAt + length > bytes.length) return null;
    if (element === 3) {
      return new TextDecoder('ascii').decode(bytes.subarray(valueAt, valueAt + length)).replace(/[\0 ]+$/, '');
    }
    at = valueAt + length;
  }
  return null;
}
