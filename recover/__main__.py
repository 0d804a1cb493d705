import sys

from recover.cli import main

sys.exit(main())
