"""Array type aliases shared by the engine modules."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
I16 = NDArray[np.int16]
I8 = NDArray[np.int8]
U64 = NDArray[np.uint64]
U8 = NDArray[np.uint8]
F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
Bools = NDArray[np.bool_]
Strs = NDArray[np.str_]
Ints = NDArray[np.signedinteger[Any]]  # int32 or int64, chosen by size
