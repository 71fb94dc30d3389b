using Parquet;

namespace Workbench.Data;

/// <summary>Open readers kept for reuse (footer parsed once per file and thread); bounded, so memory does not grow with file count.</summary>
internal sealed class ReaderPool(int capacity) : IDisposable
{
    private readonly List<(string Path, ParquetReader Reader)> _idle = [];
    private bool _disposed;

    public ParquetReader Rent(string path)
    {
        lock (_idle)
        {
            int i = _idle.FindIndex(x => x.Path == path);
            if (i >= 0)
            {
                var reader = _idle[i].Reader;
                _idle.RemoveAt(i);
                return reader;
            }
        }
        return DemoFile.OpenReader(path);
    }

    public void Return(string path, ParquetReader reader)
    {
        ParquetReader? evicted = reader;
        lock (_idle)
        {
            if (!_disposed)
            {
                _idle.Add((path, reader));
                evicted = null;
                if (_idle.Count > capacity)
                {
                    evicted = _idle[0].Reader;
                    _idle.RemoveAt(0);
                }
            }
        }
        if (evicted != null) DemoFile.Close(evicted);
    }

    public void Dispose()
    {
        List<(string, ParquetReader)> idle;
        lock (_idle)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        foreach (var (_, reader) in idle) DemoFile.Close(reader);
    }
}
