"""Demo workspace content and customer simulation for the fictional product Ledgerly.

Pure Python data and functions: no Django imports. The loader lives elsewhere.
"""
