using System.Collections.Concurrent;

namespace Workbench.Envs;

/// <summary>
/// Draws one grid cell as an RGB tile in MiniGrid's style (grid lines, grey walls, doors with handles or key slots,
/// keys, balls, boxes, green goal, orange lava with waves, red agent triangle, white-blended highlight for cells in
/// view). Shapes are rasterised at 3× and averaged, as MiniGrid does. Tiles are cached, so rendering an
/// observation is mostly copying bytes; Fashion-MNIST items are drawn from their picture each time.
/// </summary>
internal static class TileRenderer
{
    private const int Supersample = 3;
    private static readonly ConcurrentDictionary<long, byte[]> Cache = new();

    public static (byte R, byte G, byte B) Rgb(Color c) => c switch
    {
        Color.Red => (255, 0, 0),
        Color.Green => (0, 255, 0),
        Color.Blue => (0, 0, 255),
        Color.Purple => (112, 39, 195),
        Color.Yellow => (255, 255, 0),
        _ => (100, 100, 100),
    };

    /// <summary>The tile (tileSize × tileSize × 3) of a cell holding <paramref name="obj"/>, with the agent drawn facing <paramref name="agentDir"/> (−1: no agent).</summary>
    public static byte[] Tile(WorldObject? obj, int agentDir, bool highlight, int tileSize)
    {
        if (obj is { Type: ObjectType.FashionItem }) return Draw(obj, agentDir, highlight, tileSize);
        long key = obj is null ? 1 : ((long)obj.Type | ((long)obj.Color << 8) | ((long)(obj.Type == ObjectType.Door ? obj.State : 0) << 16));
        key |= (long)(agentDir + 1) << 24 | (highlight ? 1L : 0L) << 28 | (long)tileSize << 32;
        return Cache.GetOrAdd(key, _ => Draw(obj, agentDir, highlight, tileSize));
    }

    private static byte[] Draw(WorldObject? obj, int agentDir, bool highlight, int tileSize)
    {
        int s = tileSize * Supersample;
        var canvas = new Canvas(s);
        // Grid lines on the top and left edges.
        canvas.Rect(0, 0.031f, 0, 1, (100, 100, 100));
        canvas.Rect(0, 1, 0, 0.031f, (100, 100, 100));
        if (obj is not null) DrawObject(canvas, obj);
        if (agentDir >= 0) canvas.Triangle((0.12f, 0.19f), (0.87f, 0.50f), (0.12f, 0.81f), agentDir * MathF.PI / 2, (255, 0, 0));
        var tile = new byte[tileSize * tileSize * 3];
        float norm = 1f / (Supersample * Supersample);
        for (int y = 0; y < tileSize; y++)
        {
            for (int x = 0; x < tileSize; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int dy = 0; dy < Supersample; dy++)
                        for (int dx = 0; dx < Supersample; dx++)
                            sum += canvas.Pixels[((y * Supersample + dy) * s + x * Supersample + dx) * 3 + c];
                    float v = sum * norm;
                    if (highlight) v += (255 - v) * 0.3f;
                    tile[(y * tileSize + x) * 3 + c] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
                }
            }
        }
        return tile;
    }

    private static void DrawObject(Canvas g, WorldObject obj)
    {
        var c = Rgb(obj.Color);
        switch (obj.Type)
        {
            case ObjectType.Wall:
                g.Rect(0, 1, 0, 1, c);
                break;
            case ObjectType.Floor:
                g.Rect(0.031f, 1, 0.031f, 1, ((byte)(c.R / 2), (byte)(c.G / 2), (byte)(c.B / 2)));
                break;
            case ObjectType.Goal:
                g.Rect(0, 1, 0, 1, Rgb(Color.Green));
                break;
            case ObjectType.Lava:
                g.Rect(0, 1, 0, 1, (255, 128, 0));
                for (int i = 0; i < 3; i++)
                {
                    float lo = 0.3f + 0.2f * i, hi = 0.4f + 0.2f * i;
                    g.Line(0.1f, lo, 0.3f, hi, 0.03f, (0, 0, 0));
                    g.Line(0.3f, hi, 0.5f, lo, 0.03f, (0, 0, 0));
                    g.Line(0.5f, lo, 0.7f, hi, 0.03f, (0, 0, 0));
                    g.Line(0.7f, hi, 0.9f, lo, 0.03f, (0, 0, 0));
                }
                break;
            case ObjectType.Door when obj.State == DoorState.Open:
                g.Rect(0.88f, 1, 0, 1, c);
                g.Rect(0.92f, 0.96f, 0.04f, 0.96f, (0, 0, 0));
                break;
            case ObjectType.Door when obj.State == DoorState.Locked:
                g.Rect(0, 1, 0, 1, c);
                g.Rect(0.06f, 0.94f, 0.06f, 0.94f, ((byte)(c.R * 0.45f), (byte)(c.G * 0.45f), (byte)(c.B * 0.45f)));
                g.Rect(0.52f, 0.75f, 0.50f, 0.56f, c);
                break;
            case ObjectType.Door:
                g.Rect(0, 1, 0, 1, c);
                g.Rect(0.04f, 0.96f, 0.04f, 0.96f, (0, 0, 0));
                g.Rect(0.08f, 0.92f, 0.08f, 0.92f, c);
                g.Rect(0.12f, 0.88f, 0.12f, 0.88f, (0, 0, 0));
                g.Circle(0.75f, 0.50f, 0.08f, c);
                break;
            case ObjectType.Key:
                g.Rect(0.50f, 0.63f, 0.31f, 0.88f, c);
                g.Rect(0.38f, 0.50f, 0.59f, 0.66f, c);
                g.Rect(0.38f, 0.50f, 0.81f, 0.88f, c);
                g.Circle(0.56f, 0.28f, 0.190f, c);
                g.Circle(0.56f, 0.28f, 0.064f, (0, 0, 0));
                break;
            case ObjectType.Ball:
                g.Circle(0.5f, 0.5f, 0.31f, c);
                break;
            case ObjectType.Box:
                g.Rect(0.12f, 0.88f, 0.12f, 0.88f, c);
                g.Rect(0.18f, 0.82f, 0.18f, 0.82f, (0, 0, 0));
                g.Rect(0.16f, 0.84f, 0.47f, 0.53f, c);
                break;
            case ObjectType.FashionItem:
                g.Picture(obj.Picture.Span, FashionSplit.Side, 0.06f, 0.94f);
                break;
        }
    }

    /// <summary>A square float RGB canvas addressed in unit coordinates (x right, y down).</summary>
    private sealed class Canvas(int size)
    {
        public readonly float[] Pixels = new float[size * size * 3];

        private void Fill(Func<float, float, bool> inside, (byte R, byte G, byte B) c)
        {
            for (int y = 0; y < size; y++)
            {
                float fy = (y + 0.5f) / size;
                for (int x = 0; x < size; x++)
                {
                    if (!inside((x + 0.5f) / size, fy)) continue;
                    int o = (y * size + x) * 3;
                    Pixels[o] = c.R; Pixels[o + 1] = c.G; Pixels[o + 2] = c.B;
                }
            }
        }

        public void Rect(float x0, float x1, float y0, float y1, (byte, byte, byte) c) =>
            Fill((x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1, c);

        public void Circle(float cx, float cy, float r, (byte, byte, byte) c) =>
            Fill((x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r, c);

        public void Line(float x0, float y0, float x1, float y1, float r, (byte, byte, byte) c)
        {
            float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
            Fill((x, y) =>
            {
                float t = Math.Clamp(((x - x0) * dx + (y - y0) * dy) / len2, 0, 1);
                float px = x0 + t * dx - x, py = y0 + t * dy - y;
                return px * px + py * py <= r * r;
            }, c);
        }

        public void Triangle((float X, float Y) a, (float X, float Y) b, (float X, float Y) p, float angle, (byte, byte, byte) c)
        {
            (float, float) Rot((float X, float Y) q)
            {
                float cos = MathF.Cos(angle), sin = MathF.Sin(angle), x = q.X - 0.5f, y = q.Y - 0.5f;
                return (0.5f + x * cos - y * sin, 0.5f + x * sin + y * cos);
            }
            var (ax, ay) = Rot(a);
            var (bx, by) = Rot(b);
            var (cx, cy) = Rot(p);
            Fill((x, y) =>
            {
                float d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
                float d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
                float d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
                bool neg = d1 < 0 || d2 < 0 || d3 < 0, pos = d1 > 0 || d2 > 0 || d3 > 0;
                return !(neg && pos);
            }, c);
        }

        /// <summary>A grey-level picture (side × side) stretched over [lo, hi]² with nearest sampling.</summary>
        public void Picture(ReadOnlySpan<byte> picture, int side, float lo, float hi)
        {
            for (int y = 0; y < size; y++)
            {
                float fy = (y + 0.5f) / size;
                if (fy < lo || fy >= hi) continue;
                int sy = Math.Min(side - 1, (int)((fy - lo) / (hi - lo) * side));
                for (int x = 0; x < size; x++)
                {
                    float fx = (x + 0.5f) / size;
                    if (fx < lo || fx >= hi) continue;
                    int sx = Math.Min(side - 1, (int)((fx - lo) / (hi - lo) * side));
                    byte v = picture[sy * side + sx];
                    int o = (y * size + x) * 3;
                    Pixels[o] = v; Pixels[o + 1] = v; Pixels[o + 2] = v;
                }
            }
        }
    }
}
