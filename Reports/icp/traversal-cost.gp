# Drawn by the replicate harness; run `gnuplot traversal-cost.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Traversal time against corpus size"
set xlabel "documents in the graph"
set ylabel "traversal time (s, best of repeats)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'traversal-cost.png'
plot 'traversal-cost.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Algorithm 1"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'traversal-cost.svg'
plot 'traversal-cost.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Algorithm 1"
unset output
