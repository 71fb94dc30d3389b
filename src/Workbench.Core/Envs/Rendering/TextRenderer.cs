using System.Text;

namespace Workbench.Envs;

/// <summary>
/// The grid as text for terminals, two characters per cell as MiniGrid's <c>__str__</c>: object letter then colour
/// letter (W wall, D door, L locked door, __ open door, K key, A ball, B box, G goal, V lava, F floor, I fashion item;
/// colours R G B P Y and E for grey), the agent as &gt;&gt; V V &lt;&lt; ^^. Optional ANSI colours.
/// </summary>
public static class TextRenderer
{
    public static string Render(GridEnv env, bool ansi = false)
    {
        var sb = new StringBuilder();
        var grid = env.Grid;
        for (int y = 0; y < grid.Height; y++)
        {
            for (int x = 0; x < grid.Width; x++)
            {
                if (x == env.AgentX && y == env.AgentY)
                {
                    string arrow = env.AgentDir switch { 0 => ">>", 1 => "VV", 2 => "<<", _ => "^^" };
                    sb.Append(ansi ? $"\u001b[1;31m{arrow}\u001b[0m" : arrow);
                    continue;
                }
                var cell = grid.Get(x, y);
                string text = Cell(cell);
                sb.Append(ansi && cell is not null ? $"\u001b[{AnsiColor(cell.Type == ObjectType.Lava ? Color.Red : cell.Color)}m{text}\u001b[0m" : text);
            }
            sb.Append('\n');
        }
        sb.Append("mission: ").Append(env.Mission).Append('\n');
        sb.Append($"step {env.StepCount}/{env.MaxSteps}");
        if (env.Carrying is { } c) sb.Append(", carrying ").Append(Describe(c));
        sb.Append('\n');
        return sb.ToString();
    }

    public static string Describe(WorldObject obj) =>
        obj.FashionClass >= 0 ? FashionMnist.MissionName(obj.FashionClass) : $"{obj.Color.Name()} {obj.Type.Name()}";

    private static string Cell(WorldObject? cell)
    {
        if (cell is null) return "  ";
        char color = ColorLetter(cell.Color);
        return cell.Type switch
        {
            ObjectType.Wall => "WW",
            ObjectType.Floor => "F" + color,
            ObjectType.Door => cell.State switch { DoorState.Open => "__", DoorState.Locked => "L" + color, _ => "D" + color },
            ObjectType.Key => "K" + color,
            ObjectType.Ball => "A" + color,
            ObjectType.Box => "B" + color,
            ObjectType.Goal => "GG",
            ObjectType.Lava => "VV",
            ObjectType.FashionItem => "I" + cell.FashionClass,
            _ => "??",
        };
    }

    private static char ColorLetter(Color c) => c switch
    {
        Color.Red => 'R',
        Color.Green => 'G',
        Color.Blue => 'B',
        Color.Purple => 'P',
        Color.Yellow => 'Y',
        _ => 'E',
    };

    private static int AnsiColor(Color c) => c switch
    {
        Color.Red => 31,
        Color.Green => 32,
        Color.Blue => 34,
        Color.Purple => 35,
        Color.Yellow => 33,
        _ => 37,
    };
}
