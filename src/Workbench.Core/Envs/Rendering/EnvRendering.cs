namespace Workbench.Envs;

/// <summary>
/// Pixels of an environment: the agent's egocentric 7×7 view (what an image-based model sees) and the full
/// top-down grid (for people), as H×W×3 RGB byte arrays, plus PNG files and the terminal text view.
/// </summary>
public static class EnvRendering
{
    private const int V = Observation.ViewSize;

    /// <summary>Bytes of an egocentric image: (7·tile)² × 3.</summary>
    public static int EgocentricLength(int tileSize) => V * tileSize * V * tileSize * 3;

    /// <summary>The agent's view as pixels (7·tile square, agent at the bottom centre facing up; cells out of sight black).</summary>
    public static byte[] RenderEgocentric(GridEnv env, int tileSize = 8)
    {
        var rgb = new byte[EgocentricLength(tileSize)];
        RenderEgocentric(env, tileSize, rgb);
        return rgb;
    }

    /// <summary>Allocation-free variant writing into <paramref name="rgb"/> (<see cref="EgocentricLength"/> bytes).</summary>
    public static void RenderEgocentric(GridEnv env, int tileSize, Span<byte> rgb) => RenderEgocentric(env, tileSize, rgb, shown: default);

    /// <summary>
    /// The agent's view as pixels, as the agent is <paramref name="shown"/> it: where the shown symbolic encoding (147 bytes,
    /// e.g. with robustness noise or phantom objects) differs from the real view, that cell is drawn from the shown
    /// (object, colour, state) instead; elsewhere the real object is drawn (so Fashion-MNIST pictures keep their pixels).
    /// An empty <paramref name="shown"/> draws the real view.
    /// </summary>
    public static void RenderEgocentric(GridEnv env, int tileSize, Span<byte> rgb, ReadOnlySpan<byte> shown)
    {
        CheckTile(tileSize);
        if (rgb.Length < EgocentricLength(tileSize)) throw new ArgumentException($"need {EgocentricLength(tileSize)} bytes", nameof(rgb));
        if (!shown.IsEmpty && shown.Length != Observation.SymbolicLength) throw new ArgumentException($"shown must be {Observation.SymbolicLength} bytes", nameof(shown));
        var (view, visible) = env.ComputeView();
        var cache = TileRenderer.CacheFor(tileSize);
        int width = V * tileSize;
        for (int j = 0; j < V; j++)
        {
            for (int i = 0; i < V; i++)
            {
                int k = j * V + i;
                bool agent = i == V / 2 && j == V - 1;
                bool seen = visible[k];
                var obj = view[k];
                if (!shown.IsEmpty && ShownDiffers(shown.Slice(k * 3, 3), seen ? obj : null, seen))
                    (seen, obj) = FromEncoding(shown.Slice(k * 3, 3));
                var tile = seen
                    ? TileRenderer.Tile(cache, obj, agent ? 3 : -1, highlight: true, tileSize)
                    : TileRenderer.Tile(cache, null, -1, highlight: false, tileSize);
                Blit(tile, tileSize, rgb, width, i * tileSize, j * tileSize);
            }
        }
    }

    private static bool ShownDiffers(ReadOnlySpan<byte> shown, WorldObject? real, bool seen)
    {
        int code = seen ? Grid.Code(real) : 0;
        return shown[0] != (byte)code || shown[1] != (byte)(code >> 8) || shown[2] != (byte)(code >> 16);
    }

    /// <summary>A stand-in object for a shown (object, colour, state) triple; (false, null) for unseen cells.</summary>
    private static (bool Seen, WorldObject? Obj) FromEncoding(ReadOnlySpan<byte> triple)
    {
        var type = (ObjectType)triple[0];
        var color = (Color)triple[1];
        return type switch
        {
            ObjectType.Unseen => (false, null),
            ObjectType.Empty => (true, null),
            ObjectType.Door => (true, WorldObject.Door(color, (DoorState)triple[2])),
            ObjectType.Key or ObjectType.Ball or ObjectType.Box or ObjectType.Goal or ObjectType.Floor or ObjectType.Wall or ObjectType.Lava
                => (true, WorldObject.Create(type, color)),
            _ => throw new ArgumentException($"cannot draw a shown cell of object type {type}"),
        };
    }

    /// <summary>
    /// A Fashion-MNIST picture (28×28 grey, row-major) drawn into one tile exactly as an egocentric view draws a picture
    /// cell (<paramref name="highlight"/>: in view, as every seen cell is) — so a tower trained on these tiles sees what an
    /// agent's view shows. Writes tile × tile × 3 bytes into <paramref name="rgb"/>.
    /// </summary>
    public static void RenderFashionTile(ReadOnlyMemory<byte> picture, int tileSize, Span<byte> rgb, bool highlight = true)
    {
        CheckTile(tileSize);
        if (picture.Length != FashionSplit.Pixels) throw new ArgumentException($"a Fashion-MNIST picture is {FashionSplit.Pixels} bytes, got {picture.Length}", nameof(picture));
        TileRenderer.Tile(WorldObject.Fashion(0, 0, picture), -1, highlight, tileSize).CopyTo(rgb);
    }

    /// <summary>The whole grid from above with the agent, cells in its view highlighted; (H·tile, W·tile, 3).</summary>
    public static (byte[] Rgb, int Width, int Height) RenderFull(GridEnv env, int tileSize = 16)
    {
        CheckTile(tileSize);
        var grid = env.Grid;
        int width = grid.Width * tileSize, height = grid.Height * tileSize;
        var rgb = new byte[width * height * 3];
        var inView = new bool[grid.Width * grid.Height];
        var (_, visible) = env.ComputeView();
        for (int j = 0; j < V; j++)
        {
            for (int i = 0; i < V; i++)
            {
                if (!visible[j * V + i]) continue;
                var (x, y) = env.ViewToWorld(i, j);
                if (grid.InBounds(x, y)) inView[y * grid.Width + x] = true;
            }
        }
        for (int y = 0; y < grid.Height; y++)
        {
            for (int x = 0; x < grid.Width; x++)
            {
                bool agent = x == env.AgentX && y == env.AgentY;
                var tile = TileRenderer.Tile(grid.Get(x, y), agent ? env.AgentDir : -1, inView[y * grid.Width + x], tileSize);
                Blit(tile, tileSize, rgb, width, x * tileSize, y * tileSize);
            }
        }
        return (rgb, width, height);
    }

    /// <summary>Saves the full view as PNG with the mission (and step count) written underneath.</summary>
    public static void SaveFullPng(GridEnv env, string path, int tileSize = 16, bool caption = true)
    {
        var (grid, width, height) = RenderFull(env, tileSize);
        if (!caption)
        {
            Png.Save(path, grid, width, height);
            return;
        }
        const int scale = 1, pad = 4, lineHeight = PixelFont.Height * scale + 3;
        var lines = Wrap(env.Mission, Math.Max(8, (width - 2 * pad) / ((PixelFont.Width + 1) * scale)));
        lines.Add($"step {env.StepCount}/{env.MaxSteps}");
        int captionHeight = lines.Count * lineHeight + 2 * pad;
        var rgb = new byte[width * (height + captionHeight) * 3];
        grid.CopyTo(rgb, 0);
        for (int l = 0; l < lines.Count; l++)
            PixelFont.Draw(rgb, width, height + captionHeight, lines[l], pad, height + pad + l * lineHeight, scale, (255, 255, 255));
        Png.Save(path, rgb, width, height + captionHeight);
    }

    /// <summary>Saves the egocentric view as PNG.</summary>
    public static void SaveEgocentricPng(GridEnv env, string path, int tileSize = 16)
    {
        Png.Save(path, RenderEgocentric(env, tileSize), V * tileSize, V * tileSize);
    }

    /// <summary>The grid as text for a terminal (see <see cref="TextRenderer"/>).</summary>
    public static string ToText(GridEnv env, bool ansi = false) => TextRenderer.Render(env, ansi);

    private static List<string> Wrap(string text, int maxChars)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    private static void CheckTile(int tileSize)
    {
        if (tileSize is < 4 or > 128) throw new ArgumentOutOfRangeException(nameof(tileSize), tileSize, "tile size must be 4..128 pixels");
    }

    private static void Blit(byte[] tile, int tileSize, Span<byte> dst, int dstWidth, int x0, int y0)
    {
        int row = tileSize * 3;
        for (int y = 0; y < tileSize; y++)
            tile.AsSpan(y * row, row).CopyTo(dst.Slice(((y0 + y) * dstWidth + x0) * 3, row));
    }
}
