using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Parquet.Meta;

namespace Workbench.Data;

/// <summary>
/// Fast path for the common case of our own files: a required, non-repeated column whose pages are PLAIN-encoded and
/// either uncompressed or Zstd. It reads the whole column chunk with one positioned read, walks the page headers
/// (Thrift compact protocol), decompresses into a pooled buffer and slices values without per-value overhead.
/// Anything else — dictionary or other encodings, other codecs, optional or repeated columns — returns null and the
/// caller falls back to Parquet.Net, so files from other writers still load (just slower). Malformed bytes throw, and
/// the caller reports them as an undecodable page of the column.
/// </summary>
internal static class PlainChunkDecoder
{
    private const int PageData = 0, PageDictionary = 2, PageDataV2 = 3;
    private const int EncodingPlain = 0;


    /// <summary>The decoded values of a column chunk, as one buffer with value boundaries (for BYTE_ARRAY) or fixed width.</summary>
    /// <param name="pooled">the buffer came from <see cref="ArrayPool{T}.Shared"/> and goes back on dispose; otherwise it is
    /// the values' own storage, which <see cref="Memory"/> slices hand out.</param>
    public sealed class Chunk(byte[] data, int length, int[]? offsets, int count, bool pooled) : IDisposable
    {
        public ReadOnlySpan<byte> Data => data.AsSpan(0, length);
        public int Count => count;

        /// <summary>Value i of a BYTE_ARRAY column (offsets[i] points at its 4-byte length prefix).</summary>
        public ReadOnlySpan<byte> Bytes(int i) => data.AsSpan(offsets![i] + 4, Length(i));

        /// <summary>Value i as a slice of the chunk's buffer, no copy: only for chunks read with <c>owned: true</c>.</summary>
        public ReadOnlyMemory<byte> Memory(int i) =>
            pooled ? throw new InvalidOperationException("a pooled chunk's buffer is reused after Dispose; read it with owned: true") : data.AsMemory(offsets![i] + 4, Length(i));

        private int Length(int i) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offsets![i]));

        public void Dispose()
        {
            if (pooled) ArrayPool<byte>.Shared.Return(data);
            if (offsets != null) ArrayPool<int>.Shared.Return(offsets);
        }
    }

    public static bool Supports(ColumnChunk column)
    {
        var meta = column.MetaData;
        if (meta is null) return false;
        if (meta.Codec is not (CompressionCodec.ZSTD or CompressionCodec.UNCOMPRESSED)) return false;
        if (meta.Type is not (Parquet.Meta.Type.INT32 or Parquet.Meta.Type.INT64 or Parquet.Meta.Type.FLOAT or Parquet.Meta.Type.BOOLEAN or Parquet.Meta.Type.BYTE_ARRAY)) return false;
        // Encodings lists the page encodings and the level encodings; levels are absent for required columns.
        return meta.Encodings.All(e => e is Encoding.PLAIN or Encoding.RLE or Encoding.BIT_PACKED);
    }

    /// <summary>Decodes a chunk, or returns null when a page needs the general reader.</summary>
    /// <param name="indexValues">find where each BYTE_ARRAY value starts (needed for <see cref="Chunk.Bytes"/>); false only
    /// decompresses (the data benchmark's floor).</param>
    /// <param name="owned">decode into an array that the values keep (see <see cref="Chunk.Memory"/>; from
    /// <see cref="RecycledBuffers"/>, reused only once nothing references it) instead of one returned on dispose: the
    /// values are then never copied again.</param>
    public static Chunk? Read(SafeFileHandle file, ColumnChunk column, long rows, bool indexValues = true, bool owned = false)
    {
        var meta = column.MetaData!;
        long start = meta.DictionaryPageOffset is > 0 and var d && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        int size = checked((int)meta.TotalCompressedSize);
        byte[] raw = ArrayPool<byte>.Shared.Rent(size);
        int outputSize = checked((int)Math.Max(meta.TotalUncompressedSize, 16));
        // Contents undefined: every byte handed out is written by the decompressor first; the slack past outLength is never read.
        byte[] output = owned ? RecycledBuffers.Rent(outputSize) : ArrayPool<byte>.Shared.Rent(outputSize);
        int[]? offsets = meta.Type == Parquet.Meta.Type.BYTE_ARRAY && indexValues ? ArrayPool<int>.Shared.Rent(checked((int)rows)) : null;
        bool ok = false;
        try
        {
            int got = RandomAccess.Read(file, raw.AsSpan(0, size), start);
            if (got != size) throw new InvalidDataException($"column chunk cut short: {got} of {size} bytes");
            int pos = 0, outLength = 0, values = 0;
            while (pos < size && values < rows)
            {
                var header = PageHeaderReader.Read(raw.AsSpan(0, size), ref pos);
                if (header.CompressedSize < 0 || pos + header.CompressedSize > size) throw new InvalidDataException("page runs past the column chunk");
                var page = raw.AsSpan(pos, header.CompressedSize);
                pos += header.CompressedSize;
                if (header.Type == PageDictionary) return null;
                if (header.Type is not (PageData or PageDataV2) || header.Encoding != EncodingPlain) return null;
                if (header.Type == PageDataV2)
                {
                    if (header.LevelsLength != 0 || header.NumNulls != 0) return null;
                    page = page[header.LevelsLength..];
                }
                int pageValues = header.NumValues;
                if (meta.Type == Parquet.Meta.Type.BOOLEAN && values % 8 != 0) return null; // pages not byte-aligned: rare, let the general reader do it
                if (values + pageValues > rows) throw new InvalidDataException($"{values + pageValues} values in a row group of {rows} rows");
                var target = output.AsSpan(outLength);
                int written;
                bool compressed = meta.Codec == CompressionCodec.ZSTD && (header.Type == PageData || header.IsCompressed);
                if (compressed)
                {
                    if (header.UncompressedSize > target.Length) throw new InvalidDataException("page larger than the column chunk says");
                    written = Zstd.Decompress(page, target[..header.UncompressedSize]);
                }
                else
                {
                    page.CopyTo(target);
                    written = page.Length;
                }
                if (offsets != null) IndexByteArrays(output, outLength, written, values, pageValues, offsets);
                else if (meta.Type == Parquet.Meta.Type.BYTE_ARRAY) { }
                else if (meta.Type == Parquet.Meta.Type.BOOLEAN) written = (pageValues + 7) / 8; // bit-packed
                else if (written < pageValues * Width(meta.Type)) throw new InvalidDataException("page shorter than its values");
                outLength += written;
                values += pageValues;
            }
            if (values != rows) throw new InvalidDataException($"{values} values in a row group of {rows} rows");
            ok = true;
            return new Chunk(output, outLength, offsets, values, pooled: !owned);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            if (!ok)
            {
                if (!owned) ArrayPool<byte>.Shared.Return(output);
                if (offsets != null) ArrayPool<int>.Shared.Return(offsets);
            }
        }
    }

    /// <summary>
    /// The total of the data pages' uncompressed sizes, from the page headers alone (one small read per page): for a PLAIN
    /// BYTE_ARRAY column that is Σ (4 + length) over its values, so a wrong-length value shows without decoding anything.
    /// Null when a page is not PLAIN or carries levels (the decoder then checks each value).
    /// </summary>
    public static long? PlainValueBytes(SafeFileHandle file, ColumnChunk column)
    {
        var meta = column.MetaData!;
        long pos = meta.DictionaryPageOffset is > 0 and var d && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        long end = pos + meta.TotalCompressedSize, total = 0, values = 0;
        var buffer = new byte[512];
        while (pos < end && values < meta.NumValues)
        {
            int got = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - pos)), pos);
            int at = 0;
            PageHeaderReader.Header header;
            try
            {
                header = PageHeaderReader.Read(buffer.AsSpan(0, got), ref at);
            }
            catch (IndexOutOfRangeException) when (got == buffer.Length && buffer.Length < end - pos)
            {
                buffer = new byte[buffer.Length * 8]; // a long header (statistics of large values): read more of it
                continue;
            }
            catch (IndexOutOfRangeException)
            {
                throw new InvalidDataException("page header runs past the column chunk");
            }
            if (header.Type == PageDictionary || header.Type is not (PageData or PageDataV2) || header.Encoding != EncodingPlain) return null;
            if (header.Type == PageDataV2 && (header.LevelsLength != 0 || header.NumNulls != 0)) return null;
            if (header.CompressedSize < 0 || header.UncompressedSize < 0) throw new InvalidDataException("negative page size");
            total += header.UncompressedSize;
            values += header.NumValues;
            pos += at + header.CompressedSize;
        }
        if (values != meta.NumValues) throw new InvalidDataException($"the page headers hold {values} values, the column chunk {meta.NumValues}");
        return total;
    }

    private static int Width(Parquet.Meta.Type type) => type is Parquet.Meta.Type.INT64 ? 8 : 4;

    /// <summary>PLAIN BYTE_ARRAY: each value is a 4-byte little-endian length then the bytes; offsets[i] points at the length.</summary>
    private static void IndexByteArrays(byte[] buffer, int start, int length, int first, int count, int[] offsets)
    {
        int pos = start, end = start + length;
        for (int i = 0; i < count; i++)
        {
            if (pos + 4 > end) throw new InvalidDataException("byte array value cut short");
            int n = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(pos));
            if (n < 0 || pos + 4 + n > end) throw new InvalidDataException($"byte array value of {n} bytes runs past the page");
            offsets[first + i] = pos;
            pos += 4 + n;
        }
    }

    public static T[] Fixed<T>(Chunk chunk) where T : struct =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(chunk.Data)[..chunk.Count].ToArray();

    public static bool[] Booleans(Chunk chunk)
    {
        var data = chunk.Data;
        var values = new bool[chunk.Count];
        for (int i = 0; i < values.Length; i++) values[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        return values;
    }

    /// <summary>Minimal Thrift compact-protocol reader for PageHeader (parquet.thrift), skipping what it does not need.</summary>
    private static class PageHeaderReader
    {
        public readonly record struct Header(int Type, int UncompressedSize, int CompressedSize, int NumValues, int Encoding,
            int LevelsLength, int NumNulls, bool IsCompressed);

        public static Header Read(ReadOnlySpan<byte> buffer, ref int pos)
        {
            int type = -1, uncompressed = 0, compressed = 0, numValues = 0, encoding = -1, levels = 0, nulls = 0;
            bool isCompressed = true;
            short last = 0;
            while (true)
            {
                var (id, kind) = FieldHeader(buffer, ref pos, ref last);
                if (kind == 0) break;
                switch (id)
                {
                    case 1 when kind == 5: type = ReadI32(buffer, ref pos); break;
                    case 2 when kind == 5: uncompressed = ReadI32(buffer, ref pos); break;
                    case 3 when kind == 5: compressed = ReadI32(buffer, ref pos); break;
                    case 5 when kind == 12: // DataPageHeader
                    case 7 when kind == 12: // DictionaryPageHeader
                    case 8 when kind == 12: // DataPageHeaderV2
                        short inner = 0;
                        while (true)
                        {
                            var (fid, fkind) = FieldHeader(buffer, ref pos, ref inner);
                            if (fkind == 0) break;
                            if (fid == 1 && fkind == 5) numValues = ReadI32(buffer, ref pos);
                            else if (id == 8 && fid == 2 && fkind == 5) nulls = ReadI32(buffer, ref pos);
                            else if (id == 8 && fid == 4 && fkind == 5) encoding = ReadI32(buffer, ref pos);
                            else if (id != 8 && fid == 2 && fkind == 5) encoding = ReadI32(buffer, ref pos);
                            else if (id == 8 && fid is 5 or 6 && fkind == 5) levels += ReadI32(buffer, ref pos);
                            else if (id == 8 && fid == 7 && fkind is 1 or 2) isCompressed = fkind == 1;
                            else Skip(buffer, ref pos, fkind);
                        }
                        break;
                    default: Skip(buffer, ref pos, kind); break;
                }
            }
            if (type < 0) throw new InvalidDataException("page header without a type");
            return new Header(type, uncompressed, compressed, numValues, encoding, levels, nulls, isCompressed);
        }

        private static (short Id, int Kind) FieldHeader(ReadOnlySpan<byte> b, ref int pos, ref short last)
        {
            byte head = b[pos++];
            int kind = head & 0x0F;
            if (kind == 0) return (0, 0);
            int delta = head >> 4;
            last = delta != 0 ? (short)(last + delta) : (short)ZigZag(ReadVarint(b, ref pos));
            return (last, kind);
        }

        private static int ReadI32(ReadOnlySpan<byte> b, ref int pos) => (int)ZigZag(ReadVarint(b, ref pos));

        private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

        private static ulong ReadVarint(ReadOnlySpan<byte> b, ref int pos)
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte x = b[pos++];
                result |= (ulong)(x & 0x7F) << shift;
                if ((x & 0x80) == 0) return result;
            }
            throw new InvalidDataException("varint too long");
        }

        private static void Skip(ReadOnlySpan<byte> b, ref int pos, int kind)
        {
            switch (kind)
            {
                case 1: case 2: break;
                case 3: pos++; break;
                case 4: case 5: case 6: ReadVarint(b, ref pos); break;
                case 7: pos += 8; break;
                case 8:
                {
                    int length = checked((int)ReadVarint(b, ref pos)); // read first: `pos += Read(ref pos)` would add to the old pos
                    pos += length;
                    break;
                }
                case 9: case 10:
                {
                    byte head = b[pos++];
                    int count = head >> 4, elem = head & 0x0F;
                    if (count == 15) count = checked((int)ReadVarint(b, ref pos));
                    for (int i = 0; i < count; i++)
                    {
                        if (elem is 1 or 2) pos++;
                        else Skip(b, ref pos, elem);
                    }
                    break;
                }
                case 11:
                {
                    int count = checked((int)ReadVarint(b, ref pos));
                    if (count == 0) break;
                    byte types = b[pos++];
                    for (int i = 0; i < count; i++) { Skip(b, ref pos, types >> 4); Skip(b, ref pos, types & 0x0F); }
                    break;
                }
                case 12:
                {
                    short inner = 0;
                    while (true)
                    {
                        var (_, k) = FieldHeader(b, ref pos, ref inner);
                        if (k == 0) break;
                        Skip(b, ref pos, k);
                    }
                    break;
                }
                default: throw new InvalidDataException($"unknown thrift type {kind}");
            }
        }
    }
}

/// <summary>
/// Zstd decompression: the system's libzstd when it can be loaded (about twice as fast as the managed port), else
/// ZstdSharp (the managed port Parquet.Net itself uses). Both decode the same format; the choice never changes bytes.
/// </summary>
internal static partial class Zstd
{
    [ThreadStatic] private static ZstdSharp.Decompressor? _managed;
    private static readonly bool Native = ProbeNative();

    public static bool UsesNative => Native;

    public static int DecompressManaged(ReadOnlySpan<byte> source, Span<byte> destination) =>
        (_managed ??= new ZstdSharp.Decompressor()).Unwrap(source, destination);

    /// <summary>One decompression context per thread: ZSTD_decompress would create and free one per call, which for the
    /// many small pages of a row group's fixed-width columns cost more than decoding them.</summary>
    [ThreadStatic] private static DecompressionContext? _context;

    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!Native) return DecompressManaged(source, destination);
        var context = _context ??= DecompressionContext.Create();
        nuint result;
        unsafe
        {
            fixed (byte* src = source)
            fixed (byte* dst = destination)
                result = ZSTD_decompressDCtx(context.DangerousGetHandle(), dst, (nuint)destination.Length, src, (nuint)source.Length);
        }
        if (ZSTD_isError(result) != 0)
            throw new InvalidDataException($"zstd: {System.Runtime.InteropServices.Marshal.PtrToStringAnsi(ZSTD_getErrorName(result))}");
        return checked((int)result);
    }

    private static bool ProbeNative()
    {
        if (Environment.GetEnvironmentVariable("WORKBENCH_MANAGED_ZSTD") == "1") return false;
        try
        {
            return ZSTD_versionNumber() >= 10400;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private const string Library = "libzstd.so.1";

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static unsafe partial nuint ZSTD_decompressDCtx(nint context, byte* dst, nuint dstCapacity, byte* src, nuint compressedSize);

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static partial nint ZSTD_createDCtx();

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static partial nuint ZSTD_freeDCtx(nint context);

    /// <summary>A ZSTD_DCtx, freed when its thread's reference is gone.</summary>
    private sealed class DecompressionContext : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid
    {
        private DecompressionContext() : base(ownsHandle: true) { }

        public static DecompressionContext Create()
        {
            var context = new DecompressionContext();
            context.SetHandle(ZSTD_createDCtx());
            return context.IsInvalid ? throw new OutOfMemoryException("ZSTD_createDCtx failed") : context;
        }

        protected override bool ReleaseHandle() => ZSTD_freeDCtx(handle) == 0;
    }

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static partial uint ZSTD_isError(nuint code);

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static partial nint ZSTD_getErrorName(nuint code);

    [System.Runtime.InteropServices.LibraryImport(Library)]
    private static partial uint ZSTD_versionNumber();
}
