/** Step 7. HTTP in, entities out. */
package xner.serve;
