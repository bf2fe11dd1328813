/* ipfrag.c - placeholder while being written (session 2026-11-21). */
typedef int tp_ipfrag_placeholder;
